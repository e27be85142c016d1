using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.AvroFormat;
using KafkaCdc.Tests.Shared.Postgres.Integration;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Encoding;

/// <summary>
/// Every type of the contract, with the type layer's rows of extreme values (NULLs, minimum and maximum values,
/// NaN and infinities, unicode, empty strings and arrays, arrays of unusual shape), streamed through pgoutput and
/// Kafka: each record equals what the type layer decodes from the same row read with SELECT (which its own tests
/// prove equal to the source), under two mapping settings, and carries the column properties.
/// </summary>
public class TypeStreamingTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    SourceTestDatabase _database = null!;
    IReadOnlyList<PgColumn> _columns = [];
    readonly List<InProcessConnector> _connectors = [];

    [OneTimeSetUp]
    public async Task InsertRowsAsync()
    {
        _database = await SourceTestDatabase.CreateAsync("types", TypeRoundTripRows.Setup);
        _connectors.Add(await InProcessConnector.StartStreamingAsync(_database.Config()));
        var hex = _database.Config("hex_" + _database.Name);
        hex["slot.name"] = _database.SlotName + "_b";
        hex["topic.name.format"] = "{database}_b64_{table}";
        hex["binary.handling.mode"] = "base64";
        hex["decimal.handling.mode"] = "string";
        _connectors.Add(await InProcessConnector.StartStreamingAsync(hex));

        foreach (var insert in TypeRoundTripRows.Inserts) await _database.ExecuteAsync(insert);
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var oid = new NpgsqlCommand("SELECT 'source_rows'::regclass::oid", connection);
        _columns = await new PgTypeCatalog().DescribeRelationAsync(connection, (uint)(await oid.ExecuteScalarAsync())!, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var connector in _connectors) await connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    [TestCase("{database}_{table}", BinaryHandlingMode.Bytes, DecimalHandlingMode.Precise)]
    [TestCase("{database}_b64_{table}", BinaryHandlingMode.Base64, DecimalHandlingMode.String)]
    public async Task Stream_EveryTypeAndExtremeValue_RecordEqualsTheTypeLayersDecoding(string format, BinaryHandlingMode binary, DecimalHandlingMode decimals)
    {
        var topic = format.Replace("{database}", _database.Name).Replace("{table}", "source_rows");
        var records = await ChangeTopic.ReadAsync(topic, TypeRoundTripRows.Rows.Count, s_timeout);
        var table = PgTableSchema.Build(_database.Name, "public", "source_rows", _columns, new PgAvroOptions { BinaryHandling = binary, DecimalHandling = decimals });
        var expectedRows = await ReadTextRowsAsync();

        Assert.That(records.Select(r => r.Op), Is.All.EqualTo("c"));
        Assert.Multiple(() =>
        {
            foreach (var record in records)
            {
                var id = (int)record.After!["id"];
                var expected = table.DecodeValue(expectedRows[id - 1]);
                Assert.That(record.After.Schema.Fields.Select(f => f.Name), Is.EqualTo(table.Value.Fields.Select(f => f.Name)), "fields");
                foreach (var field in table.Value.Fields)
                {
                    Assert.That(Datums.DeepEquals(expected.GetValue(field.Pos), record.After.GetValue(field.Pos)), Is.True,
                        $"row {id}, column {field.Name}: expected {Datums.Render(expected.GetValue(field.Pos))}, got {Datums.Render(record.After.GetValue(field.Pos))}");
                }
                Assert.That(record.After.Schema.ToString(), Is.EqualTo(table.Value.ToString()), "the value schema, column properties included");
            }
        });
    }

    [Test]
    public async Task Stream_ValueSchema_CarriesTheColumnsExactTypes()
    {
        var records = await ChangeTopic.ReadAsync(_database.Topic("source_rows"), TypeRoundTripRows.Rows.Count, s_timeout);
        var value = records[0].After!.Schema;

        string? Property(string field, string name) => Datums.Property(value[field], name);
        Assert.Multiple(() =>
        {
            Assert.That(Property("c_numeric_10_2", "kafkacdc.type"), Is.EqualTo("numeric(10,2)"));
            Assert.That((Property("c_numeric_10_2", "kafkacdc.precision"), Property("c_numeric_10_2", "kafkacdc.scale")), Is.EqualTo(("10", "2")));
            Assert.That(Property("c_varchar", "kafkacdc.length"), Is.EqualTo("40"));
            Assert.That(Property("c_int_matrix", "kafkacdc.array.dims"), Is.EqualTo("2"));
            Assert.That(Property("c_positive", "kafkacdc.domain"), Is.EqualTo("public.positive_int"));
            Assert.That(Property("id", "kafkacdc.key.position"), Is.EqualTo("1"));
            Assert.That(Property("id", "kafkacdc.nullable"), Is.EqualTo("false"));
            Assert.That(Property("Order__Id___", "kafkacdc.column"), Is.EqualTo("Order \"Id\" €"));
        });
        Assert.That(_connectors[0].LogLines.Any(l => l.Contains("c_pair", StringComparison.Ordinal) && l.Contains("Warning", StringComparison.Ordinal)), Is.True,
            "a type outside the contract (a composite) is sent as text with a warning");
    }

    /// <summary>Every row as output-function text under the pinned session settings, by id.</summary>
    async Task<List<string?[]>> ReadTextRowsAsync()
    {
        await using var connection = new NpgsqlConnection(PgSessionSettings.Pin(_database.ConnectionString));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM source_rows ORDER BY id", connection) { AllResultTypesAreUnknown = true };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
        return rows;
    }
}
