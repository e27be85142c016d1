namespace KafkaCdc.Demo.Watching;

/// <summary>One sink task: its state, assigned partitions and stopped tables.</summary>
/// <param name="Id">The task number within its process.</param>
/// <param name="State">starting, running, retrying, stopping, stopped or failed.</param>
/// <param name="Partitions">The partitions assigned to it, with their lag.</param>
/// <param name="StoppedTables">Tables it stopped (a record that cannot be written, records lost).</param>
internal sealed record SinkTaskView(int Id, string State, IReadOnlyList<PartitionLag> Partitions, int StoppedTables);
