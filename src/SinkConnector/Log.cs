using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector;

/// <summary>
/// Every log message of the sink connector, source-generated. Event ids by stage: 4000-4049 process and tasks
/// (Consuming), 4100-4149 Applying, 4200-4249 Committing, 4300-4349 errors and dead letters. Levels: Critical = a task
/// or the process stops; Error = a record is lost to the configured tolerance, or a table stops; Warning = a failure that is retried or
/// recovers by itself; Information = once-per-run or per-rebalance facts and DDL; Debug = per-batch detail.
/// Values of secret settings never reach a message.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Sink {Name} starting: group {GroupId}, {Tasks} task(s) reading {Subscription}, writing to {Destination} schema {Schema}")]
    internal static partial void Starting(ILogger logger, string name, string groupId, int tasks, string subscription, string destination, string schema);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Configuration: {Settings}")]
    internal static partial void Configuration(ILogger logger, string settings);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "REST endpoint listening on port {Port} (/health, /status, /metrics)")]
    internal static partial void RestListening(ILogger logger, int port);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "errors.tolerance=all without errors.deadletterqueue.topic.name: records that cannot be written are logged and skipped")]
    internal static partial void NoDeadLetterTopic(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Sink stopped (exit code {ExitCode})")]
    internal static partial void Stopped(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Task(s) {Tasks} did not stop within task.shutdown.graceful.timeout.ms={TimeoutMs:0} " +
        "(a batch waiting on the destination, or Kafka unreachable); exiting anyway: what they had not committed rolls back and is delivered again")]
    internal static partial void ShutdownTimedOut(ILogger logger, double timeoutMs, string tasks);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Critical, Message = "Sink failed: {Reason}")]
    internal static partial void SinkFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Cannot prepare the destination yet, retrying in {DelayMs:0} ms")]
    internal static partial void PrepareRetry(ILogger logger, double delayMs, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Task {TaskId} started")]
    internal static partial void TaskStarted(ILogger logger, int taskId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Task {TaskId} assigned {Partitions}")]
    internal static partial void PartitionsAssigned(ILogger logger, int taskId, string partitions);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Task {TaskId} revoked {Partitions}; their batches in flight were committed")]
    internal static partial void PartitionsRevoked(ILogger logger, int taskId, string partitions);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Task {TaskId} lost {Partitions}; their uncommitted records are dropped and will be re-delivered to the new owner")]
    internal static partial void PartitionsLost(ILogger logger, int taskId, string partitions);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Task {TaskId}: Kafka consumer error {Code}: {Reason} (the client retries by itself)")]
    internal static partial void ConsumeError(ILogger logger, int taskId, ErrorCode code, string reason);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Information, Message = "Task {TaskId} stopped: batches in flight committed, consumer group left")]
    internal static partial void TaskStopped(ILogger logger, int taskId);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Critical, Message = "Task {TaskId} failed: {Reason}")]
    internal static partial void TaskFailed(ILogger logger, int taskId, string reason, Exception exception);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Warning, Message = "Task {TaskId}: schema registry unavailable while decoding {Topic}/{Partition}/{Offset}, retrying in {DelayMs:0} ms")]
    internal static partial void RegistryRetry(ILogger logger, int taskId, string topic, int partition, long offset, double delayMs, Exception exception);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Created table {Table} with {Columns} column(s), primary key {PrimaryKey}")]
    internal static partial void TableCreated(ILogger logger, string table, int columns, string primaryKey);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Added column(s) to {Table}: {Columns}")]
    internal static partial void ColumnsAdded(ILogger logger, string table, string columns);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Widened column(s) of {Table} as the source did: {Columns}")]
    internal static partial void ColumnsWidened(ILogger logger, string table, string columns);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Column(s) of {Table} the records no longer carry (dropped or renamed at the source) were NOT NULL without a default; they are nullable now, and rows written from now on leave them NULL: {Columns}")]
    internal static partial void ColumnsMadeNullable(ILogger logger, string table, string columns);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Column \"{Column}\": type {Type} does not exist in the destination database; created as {Fallback}, which holds its text")]
    internal static partial void TypeFallback(ILogger logger, string column, string type, string fallback);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Information, Message = "Emptying {Table} in the batch's transaction: the source's initial snapshot " +
        "{Snapshot} ran again, and the rows of its attempt {StoredAttempt} are written again (kafkacdc_sink_snapshots)")]
    internal static partial void SnapshotReset(ILogger logger, string table, string snapshot, uint storedAttempt);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Applied {Batches}: {Records} record(s), {Rows} row(s) in {Milliseconds:0.0} ms")]
    internal static partial void BatchApplied(ILogger logger, string batches, int records, long rows, double milliseconds);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "{Rows} row(s) of {Table} (batch {Batch}) were inserted with unchanged-TOAST " +
        "placeholders and no stored value to keep; those columns were written as NULL. The source could not log the values (a key-changing " +
        "update of a table with REPLICA IDENTITY DEFAULT); ALTER TABLE ... REPLICA IDENTITY FULL at the source avoids it")]
    public static partial void UnavailableValuesWrittenAsNull(ILogger logger, long rows, string table, string batch);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Batch {Batch} has a record that cannot be written ({Reason}); re-applying it record by record to isolate it")]
    internal static partial void IsolatingBatch(ILogger logger, string batch, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Batch {Batch} failed transiently (attempt {Attempt}), rolled back; retrying in {DelayMs:0} ms")]
    internal static partial void RetryingBatch(ILogger logger, string batch, int attempt, double delayMs, Exception exception);

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Committing offset {Offset} of {Topic}/{Partition} to Kafka failed after the database commit ({Code}: {Reason}); the offsets table holds it")]
    internal static partial void KafkaCommitFailed(ILogger logger, string topic, int partition, long offset, ErrorCode code, string reason);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "{Topic}/{Partition} resumes at offset {Offset} from the offsets table (Kafka's committed offset: {KafkaOffset})")]
    internal static partial void ResumingFromOffsetsTable(ILogger logger, string topic, int partition, long offset, long? kafkaOffset);

    [LoggerMessage(EventId = 4300, Level = LogLevel.Error, Message = "Record {Topic}/{Partition}/{Offset} cannot be written and is skipped (errors.tolerance=all, no dead-letter topic)")]
    internal static partial void RecordTolerated(ILogger logger, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Task {TaskId} stopped table {Table}: record {Topic}/{Partition}/{Offset} cannot be written: {Reason}. " +
        "errors.tolerance=none: partition(s) {Partitions} are paused and nothing from this record on is written or committed; the task's other tables keep flowing. " +
        "To recover, fix the destination table (e.g. ALTER TABLE ...) or the records, then restart the sink; it resumes at this record " +
        "(or set errors.tolerance=all, with errors.deadletterqueue.topic.name, to set such records aside)")]
    internal static partial void TableStopped(ILogger logger, int taskId, string table, string topic, int partition, long offset, string reason, string partitions, Exception exception);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Error, Message = "Task {TaskId} stopped table {Table}: {Topic}/{Partition} cannot go on at offset {Offset} " +
        "(log start {LogStart}, {Lost} record(s) lost): {Reason}. Partition(s) {Partitions} are paused and nothing from this offset on is written or committed; " +
        "the task's other tables keep flowing")]
    internal static partial void TableStoppedAtGap(ILogger logger, int taskId, string table, string topic, int partition, long offset, long logStart, long lost,
        string reason, string partitions);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Task {TaskId} skipped {Topic}/{Partition} from offset {Offset} to the log start {LogStart} " +
        "({Lost} record(s) lost, errors.offset.gap=skip): {Reason}. The destination lacks their changes; re-snapshot the source table to repair it")]
    internal static partial void OffsetGapSkipped(ILogger logger, int taskId, string topic, int partition, long offset, long logStart, long lost, string reason);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Record {Topic}/{Partition}/{Offset} cannot be written; sent to dead-letter topic {DeadLetterTopic}: {Reason}")]
    internal static partial void RecordDeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason);
}
