namespace KafkaCdc.SinkConnector.Destination;

/// <summary>Which advisory lock a transaction holds on a table (see <see cref="TableLocks"/>).</summary>
public enum LockHeld
{
    /// <summary>None.</summary>
    None,

    /// <summary>Shared: writing rows.</summary>
    Shared,

    /// <summary>Exclusive: DDL or truncate.</summary>
    Exclusive,
}
