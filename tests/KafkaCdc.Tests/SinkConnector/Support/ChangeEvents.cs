using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// Builds the source's records for a topic: Debezium-style envelopes around <c>Value</c> records of a
/// <see cref="SourceTable"/>, keys from its primary key, serialized with the shared <see cref="AvroSerializer"/>
/// through the run's schema registry (so the sink reads them exactly as it reads the source's).
/// </summary>
internal sealed class ChangeEvents : IDisposable
{
    readonly Confluent.SchemaRegistry.CachedSchemaRegistryClient _registry;
    readonly AvroSerializer _serializer;
    long _lsn = 1000;

    /// <summary>Events for <paramref name="topic"/>.</summary>
    public ChangeEvents(string topic)
    {
        Topic = topic;
        _registry = SchemaRegistryClientOptions.ForUrl(TestEnvironment.RequireSchemaRegistryUrl()).CreateClient();
        _serializer = new AvroSerializer(_registry);
    }

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary>The commit time (<c>source.ts_us</c>, <c>ts_ms</c>) of the events built from now on; null: the time each is built.</summary>
    public DateTimeOffset? CommitTime { get; set; }

    /// <summary>
    /// <c>source.commit_lsn</c>, <c>event_serial_no</c> and <c>system_id</c> of the events built from now on (as the
    /// source writes a streamed change's position); all null by default, as in snapshot reads and records of sources that
    /// carried the position in a header only (<see cref="ChangeMessage.Position"/>).
    /// </summary>
    public (long? CommitLsn, long? EventSerialNo, long? SystemId) EnvelopePosition { get; set; }

    /// <summary>The LSN the next event gets (increasing by 8 per event unless given).</summary>
    public long NextLsn => _lsn + 8;

    /// <summary>An insert (<c>c</c>) of <paramref name="row"/>.</summary>
    public Task<ChangeMessage> InsertAsync(SourceTable table, GenericRecord row, long? lsn = null, char op = 'c') =>
        EnvelopeAsync(table, op, null, row, lsn, table.Schema.KeyOf(row));

    /// <summary>An insert (<c>c</c>) of every row <paramref name="table"/> holds now, ordered by its first column.</summary>
    public async Task<ChangeMessage[]> InsertsOfEveryRowAsync(SourceTable table) =>
        await Task.WhenAll((await table.RowsAsync()).Select(r => InsertAsync(table, r)));

    /// <summary>An update (<c>u</c>) to <paramref name="after"/>, with <paramref name="before"/> (REPLICA IDENTITY FULL or a key change) or without.</summary>
    public Task<ChangeMessage> UpdateAsync(SourceTable table, GenericRecord? before, GenericRecord after, long? lsn = null) =>
        EnvelopeAsync(table, 'u', before, after, lsn, table.Schema.KeyOf(after));

    /// <summary>A delete (<c>d</c>) whose before image is <paramref name="before"/> (key columns only, or the full row).</summary>
    public Task<ChangeMessage> DeleteAsync(SourceTable table, GenericRecord before, long? lsn = null) =>
        EnvelopeAsync(table, 'd', before, null, lsn, table.Schema.KeyOf(before));

    /// <summary>The tombstone following a delete of <paramref name="before"/>.</summary>
    public async Task<ChangeMessage> TombstoneAsync(SourceTable table, GenericRecord before) =>
        new(await SerializeAsync(true, table.Schema.Key!, table.Schema.KeyOf(before)), null);

    /// <summary>A truncate (<c>t</c>) at <paramref name="lsn"/>, one copy for each of <paramref name="partitions"/> partitions.</summary>
    public async Task<List<ChangeMessage>> TruncateAsync(SourceTable table, long lsn, int partitions)
    {
        var value = await EnvelopeValueAsync(table, 't', null, null, lsn);
        return [.. Enumerable.Range(0, partitions).Select(p => new ChangeMessage(null, value, p))];
    }

    /// <summary>Serializes <paramref name="datum"/> of <paramref name="schema"/> as the topic's key or value.</summary>
    public async Task<byte[]?> SerializeAsync(bool isKey, Schema schema, object? datum) =>
        datum is null ? null : await _serializer.SerializeAsync(Topic, isKey, schema, datum, CancellationToken.None);

    async Task<ChangeMessage> EnvelopeAsync(SourceTable table, char op, GenericRecord? before, GenericRecord? after, long? lsn, GenericRecord? key)
    {
        var value = await EnvelopeValueAsync(table, op, before, after, lsn);
        // Tables without a primary key: null key, partition 0 (the contract).
        return key is null ? new ChangeMessage(null, value, 0) : new ChangeMessage(await SerializeAsync(true, table.Schema.Key!, key), value);
    }

    async Task<byte[]?> EnvelopeValueAsync(SourceTable table, char op, GenericRecord? before, GenericRecord? after, long? lsn)
    {
        _lsn = lsn ?? _lsn + 8;
        var now = DateTimeOffset.UtcNow;
        var committed = CommitTime ?? now;
        var source = AvroSchemas.NewRecord(ChangeEventSchemas.Source, "0.1.0", "postgresql", "test", committed.ToUnixTimeMilliseconds(), "false", table.Database,
            $"[null,\"{_lsn}\"]", CommitTime is { } at ? (at - DateTimeOffset.UnixEpoch).Ticks / 10 : now.ToUnixTimeMilliseconds() * 1000, table.SchemaName, table.Name, 777L, _lsn, null,
            EnvelopePosition.CommitLsn, EnvelopePosition.EventSerialNo, EnvelopePosition.SystemId);
        var envelope = AvroSchemas.NewRecord(table.Schema.Envelope, before, after, source, op.ToString(), now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds() * 1000, null);
        return await SerializeAsync(false, table.Schema.Envelope, envelope);
    }

    public void Dispose() => _registry.Dispose();
}
