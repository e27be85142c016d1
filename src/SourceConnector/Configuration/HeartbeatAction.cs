namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>What the connector writes to the source database on every heartbeat (<c>heartbeat.action</c>), layer 2.</summary>
internal enum HeartbeatAction
{
    /// <summary>Updates the heartbeat table (<c>heartbeat.table</c>), inserting its first row when it has none.</summary>
    Table,

    /// <summary>Calls <c>pg_logical_emit_message</c> (PostgreSQL 14 and later); needs no table.</summary>
    LogicalMessage,

    /// <summary>Writes nothing (read-only connections; a pg_cron job on the primary can update the table instead).</summary>
    None,
}
