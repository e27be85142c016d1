using System.Globalization;
using Avro.Generic;
using KafkaCdc.Shared;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Encoding;
using KafkaCdc.SourceConnector.Status;
using KafkaCdc.Tests.Shared.Postgres.Integration;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.Tests.SourceConnector.Encoding;

/// <summary>
/// The encoder's field-by-field envelope writer produces exactly the bytes of the generic path (the envelope and its
/// <c>source</c> block built as <see cref="GenericRecord"/>s and written by <see cref="AvroSerializer"/>), for every
/// type of the contract with the type layer's rows of extreme values, every operation, and source blocks with and
/// without the optional parts.
/// </summary>
public class EnvelopeWriterTests
{
    const string ConnectorName = "envelope-test ✓";
    SourceTestDatabase _database = null!;
    readonly List<CapturedTable> _tables = [];
    readonly List<string?[]> _rows = [];
    AvroSerializer _serializer = null!;

    [OneTimeSetUp]
    public async Task PrepareAsync()
    {
        _database = await SourceTestDatabase.CreateAsync("envelope", TypeRoundTripRows.Setup);
        foreach (var insert in TypeRoundTripRows.Inserts) await _database.ExecuteAsync(insert);
        await using var connection = new NpgsqlConnection(PgSessionSettings.Pin(_database.ConnectionString));
        await connection.OpenAsync();
        await using (var oid = new NpgsqlCommand("SELECT 'source_rows'::regclass::oid", connection))
        {
            var columns = await new PgTypeCatalog().DescribeRelationAsync(connection, (uint)(await oid.ExecuteScalarAsync())!, CancellationToken.None);
            _serializer = new AvroSerializer(ChangeTopic.Registry);
            foreach (var (suffix, options) in new[]
            {
                ("precise", new PgAvroOptions()),
                ("b64", new PgAvroOptions { BinaryHandling = BinaryHandlingMode.Base64, DecimalHandling = DecimalHandlingMode.String }),
            })
            {
                var schema = PgTableSchema.Build(_database.Name, "public", "source_rows", columns, options);
                var table = new CapturedTable(new TableName("public", "source_rows"), $"{_database.Name}_{suffix}_source_rows", schema, new TableCounters("public.source_rows"));
                await _serializer.RegisterAsync(table.Topic, true, schema.Key!, CancellationToken.None);
                await _serializer.RegisterAsync(table.Topic, false, schema.Envelope, CancellationToken.None);
                _tables.Add(table);
            }
        }
        await using var command = new NpgsqlCommand("SELECT * FROM source_rows ORDER BY id", connection) { AllResultTypesAreUnknown = true };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            _rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
    }

    [OneTimeTearDown]
    public async Task DropAsync() => await _database.DisposeAsync();

    static IEnumerable<SourceInfo> Sources() =>
    [
        new(1234, new(0x16B3748), new NpgsqlLogSequenceNumber(0x16B3700), 1_700_000_000_123_456) { ChangeIndex = 3 },
        new(null, new(ulong.MaxValue), null, -62_135_596_800_000_000, "true"),
        new(long.MaxValue, NpgsqlLogSequenceNumber.Invalid, new NpgsqlLogSequenceNumber(ulong.MaxValue), 0, "last") { ChangeIndex = long.MaxValue / 4 },
    ];

    // Above long.MaxValue, as system identifiers are from 2038 on: written as the long of the same 64 bits.
    const ulong SystemId = 0xF123_4567_89AB_CDEF;

    [Test]
    public void Encode_EveryTypeOperationAndSourceBlock_EqualsTheGenericPath([Values(0, 1)] int options)
    {
        var table = _tables[options];
        var encoder = new ChangeEventEncoder(_serializer, ConnectorName, _database.Name, SystemId);
        var transaction = new TransactionProgress(1234, new NpgsqlLogSequenceNumber(0xFFFF_FFFF_0000_0001));
        var checkedEnvelopes = 0;
        Assert.Multiple(() =>
        {
            foreach (var source in Sources())
            {
                for (var i = 0; i < _rows.Count; i++)
                {
                    var row = new RowImage(_rows[i]);
                    var other = new RowImage(_rows[(i + 1) % _rows.Count]);
                    var toasted = new RowImage(_rows[i], [.. table.Schema.Columns.Select(c => c.Decoder.CanBeUnavailable)]);
                    foreach (var change in new[]
                    {
                        new ChangeEvent(ChangeOperation.Create, table, null, row, source, transaction),
                        new ChangeEvent(ChangeOperation.Update, table, null, toasted, source, transaction),
                        new ChangeEvent(ChangeOperation.Update, table, row, row, source, transaction),
                        new ChangeEvent(ChangeOperation.Update, table, other, row, source, transaction), // key changed
                        new ChangeEvent(ChangeOperation.Delete, table, row, null, source, transaction),
                        new ChangeEvent(ChangeOperation.Truncate, table, null, null, source, transaction),
                        new ChangeEvent(ChangeOperation.Read, table, null, row, source with { Snapshot = "incremental" }, transaction),
                    })
                    {
                        var encoded = encoder.Encode(change, 1_763_700_000_654_321);
                        var expected = GenericPath(table, change, 1_763_700_000_654_321);
                        var what = $"row {i + 1}, {change.Operation}, source {source}";
                        Assert.That(encoded.Key, Is.EqualTo(expected.Key), what + ": key");
                        Assert.That(encoded.Value, Is.EqualTo(expected.Value), what + ": value");
                        Assert.That(encoded.OldKey, Is.EqualTo(expected.OldKey), what + ": old key");
                        Assert.That(encoded.OldKeyDelete, Is.EqualTo(expected.OldKeyDelete), what + ": old key's delete");
                        checkedEnvelopes += encoded.OldKeyDelete is null ? 1 : 2;
                    }
                }
            }
        });
        Assert.That(checkedEnvelopes, Is.GreaterThan(Sources().Count() * _rows.Count * 7), "key-changing updates were among them");
    }

    /// <summary>The records as the generic path writes them: the envelope and source block as records, through <see cref="AvroSerializer"/>.</summary>
    EncodedChange GenericPath(CapturedTable table, ChangeEvent change, long nowMicros)
    {
        var schema = table.Schema;
        var before = change.Before is { } b ? Value(schema, b) : null;
        var after = change.After is { } a ? Value(schema, a) : null;
        var keySource = change.Operation == ChangeOperation.Delete ? before : after;
        var key = keySource is null ? null : _serializer.Serialize(table.Topic, true, schema.Key!, schema.KeyOf(keySource));
        var s = change.Source;
        var sequence = $"[{(s.LastCommitLsn is { } last ? "\"" + ((ulong)last).ToString(CultureInfo.InvariantCulture) + "\"" : "null")},\"{((ulong)s.Lsn).ToString(CultureInfo.InvariantCulture)}\"]";
        GenericRecord Source(ulong part)
        {
            // The position: the commit LSN, 4 × the change's index + the record's part, the system identifier.
            var (commitLsn, serialNo, systemId) = s.ChangeIndex is { } index
                ? ((long?)(long)(ulong)change.Transaction.CommitLsn, (long?)(index * 4 + (long)part), (long?)unchecked((long)SystemId))
                : (null, null, null);
            return AvroSchemas.NewRecord(ChangeEventSchemas.Source, KafkaCdcVersion.Current, "postgresql", ConnectorName, s.CommitTimeMicros / 1000, s.Snapshot, _database.Name,
                sequence, s.CommitTimeMicros, "public", "source_rows", s.TransactionId, (long)(ulong)s.Lsn, null, commitLsn, serialNo, systemId);
        }
        byte[] Envelope(GenericRecord? old, GenericRecord? @new, ChangeOperation operation, ulong part) =>
            _serializer.Serialize(table.Topic, false, schema.Envelope, AvroSchemas.NewRecord(schema.Envelope, old, @new, Source(part), operation.Code(), nowMicros / 1000, nowMicros, null));

        if (change.Operation == ChangeOperation.Update && before is not null && key is not null)
        {
            var oldKey = _serializer.Serialize(table.Topic, true, schema.Key!, schema.KeyOf(before));
            if (!oldKey.AsSpan().SequenceEqual(key))
                return new EncodedChange(key, Envelope(null, after, ChangeOperation.Create, 2), oldKey, Envelope(before, null, ChangeOperation.Delete, 0));
        }
        return new EncodedChange(key, Envelope(before, after, change.Operation, 0), null, null);
    }

    static GenericRecord Value(PgTableSchema schema, RowImage row) =>
        AvroSchemas.NewRecord(schema.Value, [.. schema.Columns.Select((c, i) => row.UnchangedToast is { } u && u[i] ? c.Decoder.UnavailableValue : c.Decoder.Decode(row.Values[i]))]);
}
