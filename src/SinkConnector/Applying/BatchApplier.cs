using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Failures;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Applies <see cref="PartitionBatch"/>es (one, or several partitions' together) in one database transaction and has
/// <see cref="OffsetCommitter"/> commit it: <see cref="ApplyAsync(IReadOnlyList{PartitionBatch}, CancellationToken)"/> is the fast path (segments of records with one table and shape, set-based or COPY),
/// <see cref="ApplyIsolatingAsync"/> re-applies a batch record by record, each in a savepoint, to single out records
/// that can never be written. Failures propagate with the transaction rolled back; the caller (<see cref="BatchFlusher"/>)
/// classifies them. One per task.
/// </summary>
public sealed class BatchApplier
{
    readonly SinkOptions _options;
    readonly DestinationSession _session;
    readonly RecordShapes _shapes;
    readonly SchemaEvolution _evolution;
    readonly BoundTables _bound;
    readonly TruncateBarrier _barrier;
    readonly TruncateApplier _truncates;
    readonly OffsetCommitter _committer;
    readonly SnapshotResets _snapshots;
    // Insert mode: per table looked at, whether its keyed records follow the snapshot rule (see MarkOf).
    readonly Dictionary<string, bool> _keyedRule = new(StringComparer.Ordinal);

    /// <summary>Creates the applier.</summary>
    public BatchApplier(SinkOptions options, DestinationSession session, RecordShapes shapes, SchemaEvolution evolution,
        TruncateBarrier barrier, OffsetCommitter committer, ILogger logger)
    {
        _options = options;
        _session = session;
        _shapes = shapes;
        _evolution = evolution;
        _barrier = barrier;
        var softDelete = SoftDeleteColumns.For(options);
        _bound = new BoundTables(softDelete);
        _truncates = new TruncateApplier(options.SchemaName, barrier, evolution, softDelete);
        _committer = committer;
        _snapshots = new SnapshotResets(options.SchemaName, new SinkSnapshotsTable(options.SchemaName), logger);
    }

    /// <summary>Applies the batch set-based and commits it (database, then Kafka).</summary>
    /// <returns>What was written and skipped.</returns>
    public Task<WriteCounts> ApplyAsync(PartitionBatch batch, CancellationToken cancellationToken) => ApplyAsync([batch], cancellationToken);

    /// <summary>
    /// Applies batches, of one or more partitions, set-based in one transaction and commits it (database, then Kafka).
    /// Batches of one partition must come in offset order; consecutive records of one table and shape form one segment
    /// whichever partition they come from.
    /// </summary>
    /// <returns>What was written and skipped.</returns>
    public async Task<WriteCounts> ApplyAsync(IReadOnlyList<PartitionBatch> batches, CancellationToken cancellationToken)
    {
        await using var transaction = await _session.BeginAsync(cancellationToken);
        var next = new Dictionary<TopicPartition, long>();
        foreach (var batch in batches) next[batch.Partition] = batch.NextOffset;
        var fences = await _committer.BeginAsync(transaction, next.Keys, cancellationToken);
        var snapshots = await BeginSnapshotsAsync(transaction, batches, fences, cancellationToken);
        var segment = new List<ChangeRecord>();
        RecordShape? segmentShape = null;
        foreach (var batch in batches)
        {
            var fence = fences[batch.Partition];
            foreach (var record in batch.Records)
            {
                if (Fenced(fence, record, transaction.Counts)) continue;
                if (snapshots is not null && SnapshotFenced(snapshots, record, transaction.Counts)) continue;
                if (Classify(record, transaction.Counts) is not { } action) continue;
                if (action == RecordAction.Truncate || action == RecordAction.Failed)
                {
                    await WriteSegmentAsync(transaction, segmentShape, segment, cancellationToken);
                    segment.Clear();
                    segmentShape = null;
                    if (action == RecordAction.Failed) throw record.Failure!;
                    await _truncates.ApplyAsync(_session, transaction, record, cancellationToken);
                    continue;
                }

                if (segmentShape is not null && !Continues(segmentShape, segment[0], record))
                {
                    await WriteSegmentAsync(transaction, segmentShape, segment, cancellationToken);
                    segment.Clear();
                    segmentShape = null;
                }
                segmentShape ??= _shapes.For(record);
                segment.Add(record);
            }
        }
        await WriteSegmentAsync(transaction, segmentShape, segment, cancellationToken);
        await _committer.CommitAsync(transaction, [.. next.Select(p => fences[p.Key].Progress(p.Key, p.Value))], cancellationToken);
        return transaction.Counts;
    }

    /// <summary>
    /// Applies the batch record by record, each in a savepoint. A record failing with a record-level error
    /// (<see cref="SinkErrorClassifier"/>) is rolled back and reported; with <paramref name="stopAtFailure"/> the batch
    /// is committed up to (not including) the first one, otherwise all others are applied and
    /// <paramref name="beforeCommit"/> receives the failures (to dead-letter them) before the commit.
    /// </summary>
    public async Task<(IReadOnlyList<RecordFailure> Failures, WriteCounts Counts)> ApplyIsolatingAsync(PartitionBatch batch, bool stopAtFailure,
        Func<IReadOnlyList<RecordFailure>, CancellationToken, Task> beforeCommit, CancellationToken cancellationToken)
    {
        await using var transaction = await _session.BeginAsync(cancellationToken);
        var fence = await _committer.BeginAsync(transaction, batch.Partition, cancellationToken);
        var snapshots = await BeginSnapshotsAsync(transaction, [batch], new() { [batch.Partition] = fence }, cancellationToken);
        var failures = new List<RecordFailure>();
        var next = batch.NextOffset;
        foreach (var record in batch.Records)
        {
            var highestBefore = fence.Highest;
            if (Fenced(fence, record, transaction.Counts)) continue;
            if (snapshots is not null && SnapshotFenced(snapshots, record, transaction.Counts)) continue;
            await ExecuteAsync(transaction, "SAVEPOINT kafkacdc_record", cancellationToken);
            try
            {
                await ApplyOneAsync(transaction, record, cancellationToken);
                await ExecuteAsync(transaction, "RELEASE SAVEPOINT kafkacdc_record", cancellationToken);
            }
            catch (Exception e) when (SinkErrorClassifier.Classify(e) == FailureKind.Record)
            {
                await ExecuteAsync(transaction, "ROLLBACK TO SAVEPOINT kafkacdc_record", cancellationToken);
                await ExecuteAsync(transaction, "RELEASE SAVEPOINT kafkacdc_record", cancellationToken);
                // DDL of the failed record is undone: what is cached about tables may be stale now.
                _session.ForgetTables();
                failures.Add(new RecordFailure(record, e));
                if (stopAtFailure)
                {
                    // Not applied: a restart after the fix must not take it for a replay.
                    fence.Retract(highestBefore);
                    next = record.Offset;
                    break;
                }
            }
        }

        if (failures.Count > 0 && !stopAtFailure) await beforeCommit(failures, cancellationToken);
        await _committer.CommitAsync(transaction, [fence.Progress(batch.Partition, next)], cancellationToken);
        return (failures, transaction.Counts);
    }

    /// <summary>Whether <paramref name="fence"/> skips the record (applied already, or a replay by source position), counted.</summary>
    static bool Fenced(PartitionFence fence, ChangeRecord record, WriteCounts counts)
    {
        if (fence.Admit(record.Offset, record.SourcePosition) is not { } reason) return false;
        counts.Skip(reason);
        if (reason == PartitionFence.Replayed) counts.SkipOfTable(record.Table ?? record.Topic, reason);
        return true;
    }

    /// <summary>
    /// The snapshot bookkeeping of the transaction (<see cref="SnapshotResets"/>), when one of its records not applied
    /// already carries a snapshot mark; otherwise null, and nothing is read.
    /// </summary>
    async Task<SnapshotFence?> BeginSnapshotsAsync(ApplyTransaction transaction, IReadOnlyList<PartitionBatch> batches,
        Dictionary<TopicPartition, PartitionFence> fences, CancellationToken cancellationToken)
    {
        SnapshotFence? snapshots = null;
        foreach (var batch in batches)
        {
            var applied = fences[batch.Partition].AppliedOffset ?? long.MinValue;
            foreach (var record in batch.Records)
            {
                if (record.SnapshotMark is null || record.Table is not { } table || record.Offset < applied) continue;
                if (record.Key is not null && _options.InsertMode == InsertMode.Insert) await LearnKeyedRuleAsync(transaction, table, cancellationToken);
                if (MarkOf(record) is { } mark) (snapshots ??= new SnapshotFence()).Observe(table, mark);
            }
        }
        if (snapshots is not null) await _snapshots.ApplyAsync(_session, transaction, snapshots, cancellationToken);
        return snapshots;
    }

    /// <summary>
    /// The record's snapshot mark, if the rule applies to it: to records without a Kafka key (a table without a key,
    /// whose records the source writes to partition 0 only, in order), and in insert mode to keyed records whose
    /// destination table has no primary key to write them by (<see cref="_keyedRule"/>). Not to other keyed records:
    /// there a newer run's rows overwrite the older's and the held changes repeat what the rows hold (in insert mode
    /// the rows and held changes of a run after the first are written as upserts, <see cref="UpsertsInInsertMode"/>),
    /// so the table converges, while a reset could empty, with the older rows, a change streamed after the newer run
    /// that another partition, holding none of that run's rows, brought first.
    /// </summary>
    SnapshotMark? MarkOf(ChangeRecord record) =>
        record.SnapshotMark is { } mark && (record.Key is null || (_options.InsertMode == InsertMode.Insert && KeyedRecordsFollowTheRule(record.Table!))) ? mark : null;

    bool KeyedRecordsFollowTheRule(string table) => _keyedRule.GetValueOrDefault(table);

    /// <summary>
    /// In insert mode, whether the rule applies to <paramref name="table"/>'s keyed records (<see cref="_keyedRule"/>):
    /// when <c>primary.key.mode</c> does not name the row's identity (<c>kafka</c>, <c>none</c>) or the existing
    /// destination table has no primary key. A table still to be created gets the records' key.
    /// </summary>
    async Task LearnKeyedRuleAsync(ApplyTransaction transaction, string table, CancellationToken cancellationToken)
    {
        if (_keyedRule.ContainsKey(table)) return;
        var byRow = _options.PrimaryKeyMode is PrimaryKeyMode.RecordKey or PrimaryKeyMode.RecordValue;
        if (byRow && await _session.TableAsync(transaction, _options.SchemaName, table, cancellationToken) is { } destination)
            byRow = destination.PrimaryKey.Count > 0;
        _keyedRule[table] = !byRow;
    }

    /// <summary>
    /// Whether insert mode writes the record as an upsert: a keyed row or held change of an initial snapshot's run after
    /// the first, whose destination table has a primary key (else the rule, <see cref="MarkOf"/>, replaces the rows).
    /// The run's rows may repeat an interrupted run's, and its held changes repeat what its rows hold.
    /// </summary>
    bool UpsertsInInsertMode(ChangeRecord record) =>
        _options.InsertMode == InsertMode.Insert && record.Key is not null && record.SnapshotMark is { Attempt: > 1 } && !KeyedRecordsFollowTheRule(record.Table!);

    /// <summary>Whether <paramref name="snapshots"/> skips the record (an earlier attempt's, or a change its attempt's rows hold), counted.</summary>
    bool SnapshotFenced(SnapshotFence snapshots, ChangeRecord record, WriteCounts counts)
    {
        if (MarkOf(record) is not { } mark || record.Table is not { } table || snapshots.Admit(table, mark) is not { } reason) return false;
        counts.Skip(reason);
        counts.SkipOfTable(table, reason);
        return true;
    }

    async Task ApplyOneAsync(ApplyTransaction transaction, ChangeRecord record, CancellationToken cancellationToken)
    {
        var action = Classify(record, transaction.Counts);
        if (action is null) return;
        if (action == RecordAction.Failed) throw record.Failure!;
        if (action == RecordAction.Truncate)
        {
            await _truncates.ApplyAsync(_session, transaction, record, cancellationToken);
            return;
        }

        var shape = _shapes.For(record);
        var bound = await BindAsync(transaction, shape, [record], cancellationToken);
        if (bound is null || bound.Value.Records.Count == 0) return;
        var table = bound.Value.Table;
        var changes = new List<RowChange>(2);
        var mode = ModeOf(table, record);
        if (RowEncoder.Encode(record, table, mode, ReplaceWithoutKey, changes) is { } skipped)
        {
            transaction.Counts.Skip(skipped);
            return;
        }
        var sql = table.RowSql ??= new RowStatements(table);
        foreach (var change in changes)
        {
            if (mode == WriteMode.SetBased)
            {
                if (change.IsDelete) await sql.DeleteByKeyAsync(transaction, change, cancellationToken);
                else await sql.UpsertAsync(transaction, change, cancellationToken);
                transaction.Counts.AddRows(table.Table.Name, !change.IsDelete ? "upsert" : table.SoftDelete is null ? "delete" : "soft_delete", 1);
            }
            else if (change.IsDelete)
            {
                await AppendWriter.DeleteAsync(transaction, table, change, cancellationToken);
            }
            else
            {
                await sql.InsertAsync(transaction, change, cancellationToken);
                transaction.Counts.AddRows(table.Table.Name, "insert", 1);
            }
        }
    }

    async Task WriteSegmentAsync(ApplyTransaction transaction, RecordShape? shape, List<ChangeRecord> segment, CancellationToken cancellationToken)
    {
        if (shape is null || segment.Count == 0) return;
        var bound = await BindAsync(transaction, shape, segment, cancellationToken);
        if (bound is null || bound.Value.Records.Count == 0) return;
        var (table, records) = bound.Value;
        var mode = ModeOf(table, records[0]);
        var changes = new List<RowChange>(records.Count);
        foreach (var record in records)
        {
            if (RowEncoder.Encode(record, table, mode, ReplaceWithoutKey, changes) is { } skipped) transaction.Counts.Skip(skipped);
        }
        if (mode == WriteMode.SetBased)
        {
            var reduced = table.SoftDelete is null ? KeyReduction.Reduce(changes) : KeyReduction.ReduceKeepingDeletedRows(changes);
            await UpsertWriter.WriteAsync(_session, transaction, table, reduced, cancellationToken);
        }
        else await AppendWriter.WriteAsync(transaction, table, changes, cancellationToken);
    }

    /// <summary>Binds the shape (schema evolution, table lock) and drops records the table's truncate barrier is past.</summary>
    async Task<(BoundTable Table, List<ChangeRecord> Records)?> BindAsync(ApplyTransaction transaction, RecordShape shape, List<ChangeRecord> records, CancellationToken cancellationToken)
    {
        if (await _evolution.FitAsync(_session, transaction, shape, cancellationToken) is not { } destination)
        {
            transaction.Counts.Skip("table_missing", records.Count);
            return null;
        }
        var table = _bound.For(_session, shape, destination);
        var barrier = await _barrier.ReadAsync(transaction, _options.SchemaName, shape.Table, cancellationToken);
        if (barrier is not { } truncatedAt) return (table, records);
        var kept = records.Where(r => r.Lsn is not { } lsn || lsn >= truncatedAt).ToList();
        if (kept.Count < records.Count) transaction.Counts.Skip("before_truncate", records.Count - kept.Count);
        return (table, kept);
    }

    /// <summary>What to do with a record: null (skipped, counted), or its operation.</summary>
    RecordAction? Classify(ChangeRecord record, WriteCounts counts)
    {
        switch (record.Action)
        {
            case RecordAction.Skip:
                counts.Skip(record.SkipReason ?? "skipped");
                return null;
            case RecordAction.Truncate when !_options.TruncateEnabled:
                counts.Skip("truncate_disabled");
                return null;
            case RecordAction.Delete when !_options.DeleteEnabled:
                counts.Skip("delete_disabled");
                return null;
            case RecordAction.Delete when _options.PrimaryKeyMode == PrimaryKeyMode.Kafka:
                counts.Skip("delete_needs_key");
                return null;
            case RecordAction.Delete when record.IsTombstone && _options.DeleteMode == DeleteMode.Soft:
                // The d event before it marked the row; a tombstone carries no commit time and would only mark it again.
                counts.Skip("tombstone_soft_delete");
                return null;
            case RecordAction.Delete when record.IsTombstone && _options.PrimaryKeyMode != PrimaryKeyMode.RecordKey:
                counts.Skip("tombstone_needs_record_key");
                return null;
            default:
                return record.Action;
        }
    }

    /// <summary>Whether <paramref name="record"/> belongs to the segment started by <paramref name="first"/>.</summary>
    bool Continues(RecordShape shape, ChangeRecord first, ChangeRecord record)
    {
        if (record.Table != shape.Table) return false;
        if (UpsertsInInsertMode(record) != UpsertsInInsertMode(first)) return false;
        // A tombstone carries only the key: it joins a segment of the same table and key schema.
        if (record.IsTombstone) return shape.HasPrimaryKey && record.KeySchemaId == first.KeySchemaId;
        return ReferenceEquals(_shapes.For(record), shape);
    }

    /// <summary>How the records of <paramref name="table"/> like <paramref name="record"/> (a segment's first) are written.</summary>
    WriteMode ModeOf(BoundTable table, ChangeRecord record) =>
        table.PrimaryKey.Length > 0 && (_options.InsertMode == InsertMode.Upsert || (UpsertsInInsertMode(record) && table.Table.PrimaryKey.Count > 0))
            ? WriteMode.SetBased
            : WriteMode.Append;

    bool ReplaceWithoutKey => _options.InsertMode == InsertMode.Upsert;

    static async Task ExecuteAsync(ApplyTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
