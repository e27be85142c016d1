using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.SourceConnector.Status;

/// <summary>Events published for one table, per operation. Written by the publisher thread, read by the status endpoint.</summary>
internal sealed class TableCounters(string table)
{
    readonly long[] _counts = new long[ChangeOperations.All.Count];
    readonly long[] _reported = new long[ChangeOperations.All.Count];

    /// <summary>The table as <c>schema.table</c>.</summary>
    public string Table { get; } = table;

    /// <summary>Counts one event.</summary>
    public void Increment(ChangeOperation operation) => Interlocked.Increment(ref _counts[(int)operation]);

    /// <summary>The events counted for <paramref name="operation"/>.</summary>
    public long Count(ChangeOperation operation) => Interlocked.Read(ref _counts[(int)operation]);

    /// <summary>The events counted since the previous call, per operation (for pushing into a Prometheus counter; one caller).</summary>
    public long TakeDelta(ChangeOperation operation)
    {
        var now = Count(operation);
        var delta = now - _reported[(int)operation];
        _reported[(int)operation] = now;
        return delta;
    }
}
