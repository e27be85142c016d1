using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.ChangeEvents;

namespace KafkaCdc.SourceConnector.Encoding;

/// <summary>
/// Turns a <see cref="ChangeEvent"/> into its Kafka key and value in the contract's format (schemas/README.md): key =
/// the primary-key columns (null without a primary key), value = the Debezium-style envelope. Text values are decoded
/// by the table version's column decoders; unchanged TOASTed values become the placeholder.
/// </summary>
/// <remarks>The schemas must be registered first (<see cref="SchemaRegistrar"/>). Publisher thread only.</remarks>
/// <param name="serializer">Frames the records; holds the registered schemas' ids.</param>
/// <param name="connectorName">The connector's <c>name</c> (<c>source.name</c>).</param>
/// <param name="database">The captured database (<c>source.db</c>).</param>
/// <param name="systemId">The source server's system identifier (<c>source.system_id</c> of streamed changes).</param>
internal sealed class ChangeEventEncoder(AvroSerializer serializer, string connectorName, string database, ulong systemId = 0)
{
    readonly EnvelopeWriter _envelopes = new(serializer, connectorName, database, systemId);

    /// <summary>
    /// The encoded key (null for tables without a primary key and for truncates) and value; for an update that changed
    /// the primary key, also the old key and a delete envelope for it, and the value is then a create under the new key.
    /// </summary>
    /// <exception cref="SourceConnectorException">A value cannot be decoded or encoded (permanent); names the table, column and LSN.</exception>
    public EncodedChange Encode(ChangeEvent change, long nowMicros)
    {
        var table = change.Table;
        var schema = table.Schema;
        try
        {
            var before = change.Before is { } b ? Decode(schema, b) : null;
            var after = change.After is { } a ? Decode(schema, a) : null;
            var keySource = change.Operation == ChangeOperation.Delete ? before : after;
            var key = keySource is null || schema.Key is null ? null : KeyOf(change, keySource);

            var keyBytes = key is null ? null : serializer.Serialize(table.Topic, true, schema.Key!, key);
            if (change.Operation == ChangeOperation.Update && before is not null && keyBytes is not null)
            {
                // A key-changing update becomes a delete of the old key and a create under the new one, as Debezium
                // does: each key's records stay in its own partition's order, so a later re-insert of the old key
                // cannot be overtaken by the removal of the old row.
                var oldKey = serializer.Serialize(table.Topic, true, schema.Key!, KeyOf(change, before));
                if (!oldKey.AsSpan().SequenceEqual(keyBytes))
                {
                    return new EncodedChange(keyBytes, _envelopes.Write(change, null, after, ChangeOperation.Create.Code(), nowMicros, SourcePosition.CreateUnderNewKey),
                        oldKey, _envelopes.Write(change, before, null, ChangeOperation.Delete.Code(), nowMicros, SourcePosition.ChangeRecord));
                }
            }
            return new EncodedChange(keyBytes, _envelopes.Write(change, before, after, change.Operation.Code(), nowMicros, SourcePosition.ChangeRecord), null, null);
        }
        catch (Exception e) when (e is PgValueDecodingException or AvroEncodingException or ArgumentException)
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"Cannot encode the {change.Operation.Code()} change of table {table.Name.Quoted} at LSN {change.Source.Lsn} " +
                $"(transaction {change.Source.TransactionId}) for topic {table.Topic}: {e.Message}", e);
        }
    }

    /// <summary>The <c>Value</c> record of a row image.</summary>
    static GenericRecord Decode(PgTableSchema schema, RowImage row)
    {
        var columns = schema.Columns;
        if (row.Values.Length != columns.Count)
            throw new ArgumentException($"the row has {row.Values.Length} values for {columns.Count} columns");
        var record = new GenericRecord(schema.Value);
        for (var i = 0; i < columns.Count; i++)
        {
            record.Add(i, row.UnchangedToast is { } unchanged && unchanged[i]
                ? columns[i].Decoder.UnavailableValue
                : columns[i].Decoder.Decode(row.Values[i]));
        }
        return record;
    }

    static GenericRecord KeyOf(ChangeEvent change, GenericRecord row)
    {
        try
        {
            return change.Table.Schema.KeyOf(row)!;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"{e.Message.Split(" (Parameter", 2)[0]}: the row image lacks a primary-key column, which happens when the table's REPLICA IDENTITY " +
                "uses an index other than the primary key; set REPLICA IDENTITY DEFAULT or FULL", e);
        }
    }
}
