namespace KafkaCdc.SourceConnector.Status;

/// <summary>The connector's state, as <c>/health</c> and <c>/status</c> report it.</summary>
internal enum ConnectorState
{
    /// <summary>Connecting, reading offsets, preparing the slot and publication.</summary>
    Starting,

    /// <summary>Reading the captured tables (initial snapshot) before streaming.</summary>
    Snapshotting,

    /// <summary>Reading the replication stream.</summary>
    Streaming,

    /// <summary>A transient failure happened; waiting before reconnecting.</summary>
    Retrying,

    /// <summary>Shutting down: flushing and confirming.</summary>
    Stopping,

    /// <summary>Stopped after a shutdown signal.</summary>
    Stopped,

    /// <summary>Stopped by a permanent failure.</summary>
    Failed,
}
