using KafkaCdc.Demo.Watching;

namespace KafkaCdc.Demo.Display;

/// <summary>
/// Which sink process and task holds each partition, with a one-character label per task (0-9, then a-z, in process
/// and task order), and the partitions' lags: what the view and the log lines show of the sink group.
/// </summary>
internal sealed class PartitionOwners
{
    readonly Dictionary<(string Topic, int Partition), (char Label, long? Lag)> _owners = [];

    /// <summary>Reads the owners from <paramref name="sinks"/>.</summary>
    public PartitionOwners(IReadOnlyList<SinkView> sinks)
    {
        var index = 0;
        foreach (var sink in sinks)
            foreach (var task in sink.Tasks)
            {
                var label = LabelOf(index++);
                Labels.Add((sink.Process, task.Id, label));
                foreach (var partition in task.Partitions) _owners[(partition.Topic, partition.Partition)] = (label, partition.Lag);
            }
    }

    /// <summary>Every task's label, in order.</summary>
    public List<(int Process, int Task, char Label)> Labels { get; } = [];

    /// <summary>The topics with an assigned partition, sorted.</summary>
    public IEnumerable<string> Topics => _owners.Keys.Select(k => k.Topic).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The highest partition number of <paramref name="topic"/> assigned.</summary>
    public int MaxPartition(string topic) => _owners.Keys.Where(k => k.Topic == topic).Max(k => k.Partition);

    /// <summary>The owner and lag of one partition, if assigned.</summary>
    public (char Label, long? Lag)? Of(string topic, int partition) =>
        _owners.TryGetValue((topic, partition), out var owner) ? owner : null;

    /// <summary>The partitions with the highest lag, highest first.</summary>
    public IEnumerable<(string Topic, int Partition, long Lag)> Highest(int count) =>
        _owners.Where(o => o.Value.Lag > 0).OrderByDescending(o => o.Value.Lag).Take(count)
            .Select(o => (o.Key.Topic, o.Key.Partition, o.Value.Lag!.Value));

    static char LabelOf(int index) => index < 10 ? (char)('0' + index) : index < 36 ? (char)('a' + index - 10) : '+';
}
