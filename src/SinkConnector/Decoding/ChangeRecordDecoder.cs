using Avro;
using Avro.Generic;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Errors;

namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// Kafka record → <see cref="ChangeRecord"/>: decodes key and value through the registry (<see cref="AvroDeserializer"/>),
/// reads the envelope (op, row images, <c>source.lsn</c>) and names the destination table (<c>table.name.format</c>).
/// One per task; not thread-safe.
/// </summary>
/// <remarks>
/// Failure path: a record that can never be decoded (not the wire format, unknown schema id, corrupt body, unknown op)
/// comes back as a <see cref="RecordAction.Failed"/> record, so that it is handled in order with its partition's
/// other records (dead-lettered, or the task stops at its offset). Registry failures that are not the message's fault
/// are thrown as <see cref="HttpRequestException"/> (the caller retries transient ones: <see cref="Shared.SchemaRegistry.RegistryFailures"/>).
/// </remarks>
public sealed class ChangeRecordDecoder
{
    readonly AvroDeserializer _deserializer;
    readonly TableNameFormat _tableNameFormat;
    readonly Dictionary<int, ValueLayout> _layouts = [];
    readonly Dictionary<int, EnvelopeTextDecoder?> _textDecoders = [];
    readonly Dictionary<string, string> _lastTableOfTopic = new(StringComparer.Ordinal);
    readonly bool _keepRaw;
    string? _lastTopic, _lastSourceSchema, _lastSourceTable, _lastTable;

    /// <summary>Creates a decoder.</summary>
    /// <param name="deserializer">The Avro deserializer.</param>
    /// <param name="tableNameFormat"><c>table.name.format</c>.</param>
    /// <param name="keepRaw">
    /// Keep the received bytes and headers on records that decode (for the dead-letter topic, when one is configured;
    /// records that fail to decode always keep them). Without it batches hold a third less memory.
    /// </param>
    public ChangeRecordDecoder(AvroDeserializer deserializer, TableNameFormat tableNameFormat, bool keepRaw = true)
    {
        _deserializer = deserializer;
        _tableNameFormat = tableNameFormat;
        _keepRaw = keepRaw;
    }

    /// <summary>Decodes one consumed record.</summary>
    /// <exception cref="HttpRequestException">The registry failed (not because of this message).</exception>
    public async ValueTask<ChangeRecord> DecodeAsync(ConsumeResult<byte[]?, byte[]?> result, CancellationToken cancellationToken)
    {
        var message = result.Message;
        AvroMessage? key, value;
        try
        {
            key = await _deserializer.DeserializeAsync(message.Key ?? ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
        catch (MessageDecodingException e)
        {
            return Failed(result, new MessageDecodingException($"key: {e.Message}", e.SchemaId, e));
        }
        if (message.Value is { } body && ConfluentWireFormat.TryReadHeader(body, out var schemaId, out _)
            && _textDecoders.TryGetValue(schemaId, out var known) && known is not null
            && TryDecodeText(result, key, schemaId, known) is { } decodedAsText)
        {
            return decodedAsText;
        }
        try
        {
            value = await _deserializer.DeserializeAsync(message.Value ?? ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
        catch (MessageDecodingException e)
        {
            return Failed(result, new MessageDecodingException($"value: {e.Message}", e.SchemaId, e));
        }

        if (value is not { } decoded) return Tombstone(result, key);
        if (decoded.Datum is not GenericRecord datum || decoded.WriterSchema is not RecordSchema schema)
            return Failed(result, new UnwritableRecordException($"the value is a {decoded.WriterSchema.Tag}, not a record (a change event or a row)"));

        var valueSchemaId = decoded.SchemaId;
        var layout = LayoutOf(valueSchemaId, schema);
        // From the second record of an envelope schema on, creates and updates are read straight to text.
        if (!_textDecoders.ContainsKey(valueSchemaId)) _textDecoders[valueSchemaId] = EnvelopeTextDecoder.For(layout);
        if (layout.IsHeartbeat) return Skipped(result, "heartbeat");
        if (!layout.IsEnvelope)
            return Build(result, key, valueSchemaId, layout, RecordAction.Upsert, 'c', before: null, after: datum, lsn: null, null, null);

        var op = datum.GetValue(layout.Op) as string;
        var source = layout.Source >= 0 ? datum.GetValue(layout.Source) as GenericRecord : null;
        var lsn = source is not null && layout.SourceLsn >= 0 ? source.GetValue(layout.SourceLsn) as long? : null;
        var sourceSchema = source is not null && layout.SourceSchema >= 0 ? source.GetValue(layout.SourceSchema) as string : null;
        var sourceTable = source is not null && layout.SourceTable >= 0 ? source.GetValue(layout.SourceTable) as string : null;
        var commitTime = source is null ? null
            : layout.SourceTsUs >= 0 && source.GetValue(layout.SourceTsUs) is long micros ? micros
            : layout.SourceTsMs >= 0 && source.GetValue(layout.SourceTsMs) is long millis ? millis * 1000 : (long?)null;
        if (!TryPosition(SourceLong(source, layout.SourceCommitLsn), SourceLong(source, layout.SourceEventSerialNo), SourceLong(source, layout.SourceSystemId),
                out var position, out var positionError))
        {
            return Failed(result, new UnwritableRecordException(positionError!));
        }
        var before = layout.Before >= 0 ? datum.GetValue(layout.Before) as GenericRecord : null;
        var after = datum.GetValue(layout.After) as GenericRecord;
        if (op is not [var code] || !ChangeOperations.TryParse(code, out var operation))
            return Failed(result, new UnwritableRecordException($"unknown op '{op}' (expected c, u, d, t or r)"));
        switch (operation)
        {
            case ChangeOperation.Create or ChangeOperation.Update or ChangeOperation.Read:
                if (after is null) return Failed(result, new UnwritableRecordException($"op '{op}' without an 'after' row image"));
                return Build(result, key, valueSchemaId, layout, RecordAction.Upsert, code, before, after, lsn, sourceSchema, sourceTable, commitTime: commitTime, position: position);
            case ChangeOperation.Delete:
                return Build(result, key, valueSchemaId, layout, RecordAction.Delete, code, before, null, lsn, sourceSchema, sourceTable, commitTime: commitTime, position: position);
            default: // ChangeOperation.Truncate
                return Build(result, key, valueSchemaId, layout, RecordAction.Truncate, code, null, null, lsn, sourceSchema, sourceTable, commitTime: commitTime, position: position);
        }
    }

    /// <summary>The fast path (<see cref="EnvelopeTextDecoder"/>), or null when the record must be decoded generically.</summary>
    ChangeRecord? TryDecodeText(ConsumeResult<byte[]?, byte[]?> result, AvroMessage? key, int valueSchemaId, EnvelopeTextDecoder decoder)
    {
        ConfluentWireFormat.TryReadHeader(result.Message.Value, out _, out var body);
        if (!decoder.TryDecode(body, out var envelope)) return null;
        // A before image with placeholders is left to the generic path, which has the placeholder datums it may need.
        if (envelope.Before is { HasUnavailable: true }) return null;
        return Build(result, key, valueSchemaId, _layouts[valueSchemaId], RecordAction.Upsert, envelope.Op, null, null, envelope.Lsn,
            envelope.SourceSchema, envelope.SourceTable, envelope.Before, envelope.After, envelope.CommitTime, envelope.Position);
    }

    static long? SourceLong(GenericRecord? source, int position) => source is not null && position >= 0 ? source.GetValue(position) as long? : null;

    /// <summary>
    /// The <see cref="SourcePosition"/> of <c>source.commit_lsn</c>, <c>event_serial_no</c> and <c>system_id</c>: null
    /// when none is set (a snapshot read, another producer's record); false, with the reason, when only some are.
    /// </summary>
    internal static bool TryPosition(long? commitLsn, long? eventSerialNo, long? systemId, out SourcePosition? position, out string? error)
    {
        position = null;
        error = null;
        if (commitLsn is { } lsn && eventSerialNo is { } serial && systemId is { } system)
        {
            position = new SourcePosition((ulong)system, (ulong)lsn, (ulong)serial);
            return true;
        }
        if (commitLsn is null && eventSerialNo is null && systemId is null) return true;
        error = $"source.commit_lsn ({commitLsn?.ToString() ?? "null"}), source.event_serial_no ({eventSerialNo?.ToString() ?? "null"}) and " +
            $"source.system_id ({systemId?.ToString() ?? "null"}) are the record's source position: set all three or none";
        return false;
    }

    ValueLayout LayoutOf(int valueSchemaId, RecordSchema schema)
    {
        if (!_layouts.TryGetValue(valueSchemaId, out var layout)) _layouts[valueSchemaId] = layout = ValueLayout.For(schema);
        return layout;
    }

    ChangeRecord Build(ConsumeResult<byte[]?, byte[]?> result, AvroMessage? key, int valueSchemaId, ValueLayout layout,
        RecordAction action, char sourceOp, GenericRecord? before, GenericRecord? after, long? lsn, string? sourceSchema, string? sourceTable,
        PgTextRow? beforeText = null, PgTextRow? afterText = null, long? commitTime = null, SourcePosition? position = null)
    {
        if (!TryReadHeaders(result, out var headerPosition, out var mark, out var badHeader)) return Failed(result, badHeader!);
        // The envelope's position, else the header's (a record of a source from before the envelope carried it).
        position ??= headerPosition;
        var topic = result.Topic;
        string? table;
        if (topic == _lastTopic && sourceSchema == _lastSourceSchema && sourceTable == _lastSourceTable)
        {
            // Consecutive records mostly name the same table: one string per table, not per record.
            topic = _lastTopic!;
            table = _lastTable!;
        }
        else
        {
            table = _tableNameFormat.Render(topic, sourceSchema, sourceTable);
            if (table is null)
            {
                return Failed(result, new UnwritableRecordException(
                    $"table.name.format '{_tableNameFormat}' uses the source block, which this record does not have"));
            }
            _lastTableOfTopic[topic] = table;
            (_lastTopic, _lastSourceSchema, _lastSourceTable, _lastTable) = (topic, sourceSchema, sourceTable, table);
        }
        return new ChangeRecord
        {
            Topic = topic,
            Partition = result.Partition.Value,
            Offset = result.Offset.Value,
            Action = action,
            SourceOp = sourceOp,
            Key = key?.Datum,
            KeySchemaId = key?.SchemaId ?? -1,
            KeySchema = key?.WriterSchema,
            Before = before,
            After = after,
            BeforeText = beforeText,
            AfterText = afterText,
            RowSchema = layout.RowSchema,
            ValueSchemaId = valueSchemaId,
            Lsn = lsn,
            SourcePosition = position,
            SnapshotMark = mark,
            CommitTime = commitTime,
            Table = table,
            RawMessage = _keepRaw ? result.Message : null,
        };
    }

    ChangeRecord Tombstone(ConsumeResult<byte[]?, byte[]?> result, AvroMessage? key)
    {
        if (key is not { } decodedKey) return Skipped(result, "null_key_and_value");
        // A tombstone has no source block: with a format naming source parts, it goes to the table this topic's
        // last record went to (normally the delete it follows). Unknown after a restart: the delete before it did the work.
        var table = _tableNameFormat.UsesSource ? _lastTableOfTopic.GetValueOrDefault(result.Topic) : _tableNameFormat.Render(result.Topic, null, null);
        if (table is null) return Skipped(result, "tombstone_table_unknown");
        if (!TryReadHeaders(result, out var position, out var mark, out var badHeader)) return Failed(result, badHeader!);
        return new ChangeRecord
        {
            Topic = result.Topic,
            Partition = result.Partition.Value,
            Offset = result.Offset.Value,
            Action = RecordAction.Delete,
            SourceOp = 'x',
            SourcePosition = position,
            SnapshotMark = mark,
            Key = decodedKey.Datum,
            KeySchemaId = decodedKey.SchemaId,
            KeySchema = decodedKey.WriterSchema,
            Table = table,
            RawMessage = _keepRaw ? result.Message : null,
        };
    }

    /// <summary>
    /// The record's <see cref="SourcePosition"/> and <see cref="SnapshotMark"/> headers (the last of each name), if it has
    /// them, in one pass over the headers; false (and the failure) when one is malformed.
    /// </summary>
    static bool TryReadHeaders(ConsumeResult<byte[]?, byte[]?> result, out SourcePosition? position, out SnapshotMark? mark, out Exception? failure)
    {
        position = null;
        mark = null;
        failure = null;
        if (result.Message.Headers is not { Count: > 0 } headers) return true;
        byte[]? positionBytes = null, markBytes = null;
        bool hasPosition = false, hasMark = false;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (header.Key == SourcePosition.HeaderName) (positionBytes, hasPosition) = (header.GetValueBytes(), true);
            else if (header.Key == SnapshotMark.HeaderName) (markBytes, hasMark) = (header.GetValueBytes(), true);
        }
        if (hasPosition)
        {
            if (!SourcePosition.TryRead(positionBytes, out var read))
            {
                failure = new UnwritableRecordException(
                    $"header {SourcePosition.HeaderName} is {positionBytes?.Length ?? 0} bytes, not {SourcePosition.Size} (system identifier, commit LSN, ordinal)");
                return false;
            }
            position = read;
        }
        if (hasMark)
        {
            if (!SnapshotMark.TryRead(markBytes, out var read, out var error))
            {
                failure = new UnwritableRecordException(error!);
                return false;
            }
            mark = read;
        }
        return true;
    }

    static ChangeRecord Skipped(ConsumeResult<byte[]?, byte[]?> result, string reason) => new()
    {
        Topic = result.Topic,
        Partition = result.Partition.Value,
        Offset = result.Offset.Value,
        Action = RecordAction.Skip,
        SkipReason = reason,
    };

    static ChangeRecord Failed(ConsumeResult<byte[]?, byte[]?> result, Exception failure) => new()
    {
        Topic = result.Topic,
        Partition = result.Partition.Value,
        Offset = result.Offset.Value,
        Action = RecordAction.Failed,
        Failure = failure,
        RawMessage = result.Message,
    };
}
