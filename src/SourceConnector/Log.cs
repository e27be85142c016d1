using Microsoft.Extensions.Logging;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// Every log message of the source connector, source-generated. Event ids by stage: 3000–3099 lifecycle, 3100–3199
/// replication, 3200–3299 encoding, 3300–3399 publishing, 3400–3499 checkpointing, 3500–3599 heartbeats. Levels:
/// Critical = the connector stops; Error = an operation failed; Warning = retried, or a setup that may lose or
/// misplace changes; Information = a once-per-session fact; Debug = per-operation detail. Values of secrets never
/// reach a message (the configuration is logged through ConfigReader's redacted view).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "KafkaCdc source connector {Name} {Version} starting with {Configuration}")]
    internal static partial void Starting(ILogger logger, string name, string version, string configuration);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Streaming changes")]
    internal static partial void Streaming(ILogger logger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Transient failure, reconnecting in {DelaySeconds:0.#}s from the stored offset: {Reason}")]
    internal static partial void Retrying(ILogger logger, double delaySeconds, string reason, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Critical, Message = "The source connector stopped: {Reason}")]
    internal static partial void Failed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Stopped: confirmed LSN {ConfirmedLsn} to PostgreSQL, stored offset {StoredLsn}; {OpenTransactions} transaction(s) read but not completely delivered will be read again")]
    internal static partial void Stopped(ILogger logger, string confirmedLsn, string storedLsn, int openTransactions);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "The publisher did not drain within {Seconds}s (Kafka unavailable?); stopping without it")]
    internal static partial void DrainTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "The last checkpoint did not complete within {Seconds}s; the next start re-reads from the last stored offset")]
    internal static partial void FinalCheckpointTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "The replication connection did not close within {Seconds}s of the stop; its position is confirmed, so it is left to close with the process ({What})")]
    internal static partial void ReplicationCloseAbandoned(ILogger logger, double seconds, string what);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Reset the offset of connector {Name} in {Topic} (was {Previous}); the next start begins at the position of slot {Slot}")]
    internal static partial void OffsetsReset(ILogger logger, string name, string topic, string previous, string slot);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Streaming from slot {Slot}, publication {Publication}, at LSN {Lsn}")]
    internal static partial void StreamingFrom(ILogger logger, string slot, string publication, string lsn);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created replication slot {Slot} (pgoutput) at LSN {Lsn}")]
    internal static partial void SlotCreated(ILogger logger, string slot, string lsn);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "No stored offset: starting at the confirmed position {Lsn} of the existing slot {Slot}")]
    internal static partial void SlotAdopted(ILogger logger, string slot, string lsn);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Replication slot {Slot} is still held by walsender {Pid}; waiting for it to be released")]
    internal static partial void SlotBusy(ILogger logger, string slot, int pid);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Created publication {Publication} for {Tables}")]
    internal static partial void PublicationCreated(ILogger logger, string publication, string tables);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Added {Tables} to publication {Publication}")]
    internal static partial void PublicationExtended(ILogger logger, string publication, string tables);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Publication {Publication} publishes {Count} captured table(s): {Tables} (filter: {Filter})")]
    internal static partial void Capturing(ILogger logger, string publication, int count, string tables, string filter);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning,
        Message = "Publication {Publication} does not publish via the partition root, so changes of the partitioned tables {Tables} arrive under their " +
                  "partitions' names and are captured only if the partitions are: ALTER PUBLICATION ... SET (publish_via_partition_root = true)")]
    internal static partial void PartitionsNotViaRoot(ILogger logger, string publication, string tables);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Table {Table} -> topic {Topic}: {ColumnCount} columns, key ({Key})")]
    internal static partial void RelationVersion(ILogger logger, string table, string topic, int columnCount, string key);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Table {Table}: {Warning}")]
    internal static partial void TypeFallback(ILogger logger, string table, string warning);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Table {Table}: transaction {TransactionId} of its Relation message was still not visible after {Seconds} s; describing it from the catalog as it reads now (a default or generated column it added may be missing until the next ALTER TABLE)")]
    internal static partial void CatalogNotYetVisible(ILogger logger, string table, long transactionId, double seconds);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information,
        Message = "Table {Table} changed in a way PostgreSQL applied to its existing rows without logging them ({Reason}); backfilling it with incremental snapshot {SnapshotId}")]
    internal static partial void SchemaChangeBackfill(ILogger logger, string table, string reason, string snapshotId);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning,
        Message = "Table {Table} changed in a way PostgreSQL applied to its existing rows without logging them ({Reason}), and {Key}=off: the destination " +
                  "may differ in every row not changed since. To backfill it, send the signal execute-snapshot with data {Data} (signal table, POST /signals or the signal command)")]
    internal static partial void SchemaChangeNotBackfilled(ILogger logger, string table, string reason, string key, string data);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning,
        Message = "Table {Table} changed in a way PostgreSQL applied to its existing rows without logging them ({Reason}), but it has no primary key to read " +
                  "it in chunks by, so it is not backfilled and the destination may differ in every row not changed since. Add a primary key or name its " +
                  "key columns in {Key}, then send the signal execute-snapshot with data {Data}")]
    internal static partial void SchemaChangeWithoutKey(ILogger logger, string table, string reason, string key, string data);

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Table {Table}: schemas registered, value subject {Subject} id {SchemaId}")]
    internal static partial void SchemaRegistered(ILogger logger, string table, string subject, int schemaId);

    [LoggerMessage(EventId = 3300, Level = LogLevel.Error, Message = "{Message}")]
    internal static partial void DeliveryFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 3400, Level = LogLevel.Debug, Message = "Stored offset {Lsn} in {Topic}")]
    internal static partial void OffsetStored(ILogger logger, string topic, string lsn);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Debug, Message = "Confirmed LSN {Lsn} to PostgreSQL")]
    internal static partial void Confirmed(ILogger logger, string lsn);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "An update of table {Table} at LSN {Lsn} changed the primary key and left " +
        "large (TOASTed) values unchanged; PostgreSQL does not log them with REPLICA IDENTITY DEFAULT, so the create under the new key carries " +
        "the unavailable-value placeholder in column(s) {Columns}. ALTER TABLE ... REPLICA IDENTITY FULL makes PostgreSQL log them")]
    public static partial void KeyChangeWithoutToastedValues(ILogger logger, string table, string lsn, string columns);

    [LoggerMessage(EventId = 3500, Level = LogLevel.Warning, Message = "A heartbeat record to {Topic} failed: {Reason}")]
    internal static partial void HeartbeatFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "The database heartbeat failed and is retried on the next interval: {Reason}")]
    internal static partial void DatabaseHeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3600, Level = LogLevel.Information,
        Message = "Snapshot of {Count} table(s) ({Tables}) starting: {Reason}; streaming starts at LSN {Lsn} when it is complete; {Threads} reader(s)")]
    internal static partial void SnapshotStarting(ILogger logger, int count, string tables, string reason, string lsn, int threads);

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Snapshot of {Table}: {Rows} rows, {RowsPerSecond:0} rows/s{Eta}")]
    internal static partial void SnapshotProgress(ILogger logger, string table, string rows, double rowsPerSecond, string eta);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Information, Message = "Snapshot of {Table} complete: {Rows} rows acknowledged by Kafka ({RowsPerSecond:0} rows/s)")]
    internal static partial void SnapshotTableDone(ILogger logger, string table, long rows, double rowsPerSecond);

    [LoggerMessage(EventId = 3603, Level = LogLevel.Information, Message = "Snapshot complete: {Tables} table(s), {Rows} rows; streaming from LSN {Lsn}")]
    internal static partial void SnapshotCompleted(ILogger logger, int tables, long rows, string lsn);

    [LoggerMessage(EventId = 3604, Level = LogLevel.Information, Message = "The server cannot export a snapshot ({Reason}); one reader takes the whole snapshot")]
    internal static partial void SnapshotNotExported(ILogger logger, string reason);

    [LoggerMessage(EventId = 3605, Level = LogLevel.Warning, Message = "Reading {Chunk} failed (attempt {Attempt}), reading it again in the same snapshot: {Reason}")]
    internal static partial void SnapshotChunkRetry(ILogger logger, string chunk, int attempt, string reason);

    [LoggerMessage(EventId = 3606, Level = LogLevel.Warning, Message = "{Message}")]
    internal static partial void SnapshotDecision(ILogger logger, string message);

    [LoggerMessage(EventId = 3607, Level = LogLevel.Information, Message = "{Message}")]
    internal static partial void SnapshotInfo(ILogger logger, string message);

    [LoggerMessage(EventId = 3608, Level = LogLevel.Warning, Message = "Signal {Id} not carried out: {Reason}")]
    internal static partial void SignalRejected(ILogger logger, string id, string reason);
}
