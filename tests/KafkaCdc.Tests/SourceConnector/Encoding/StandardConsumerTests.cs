using System.Text.Json.Nodes;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.AvroFormat;
using KafkaCdc.Tests.Shared.Postgres.Integration;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Encoding;

/// <summary>
/// What other applications see: every record the source writes for a table of every type with edge values (±infinity,
/// NaN, BC and far-future dates, PostgreSQL's largest timestamp, 24:00, numerics of 1000 digits, empty and NULL arrays,
/// hostile text) is decoded, under each <c>time.precision.mode</c>, by (a) Confluent's <see cref="AvroDeserializer{T}"/>
/// of <see cref="GenericRecord"/> against the registry and (b) Apache Avro's Python implementation reading the wire
/// format with the schema fetched by id over HTTP, both with their logical-type conversions, and the decoded values are
/// the ones the type layer decodes from the same row read with SELECT.
/// </summary>
public class StandardConsumerTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    static readonly Dictionary<TimePrecisionMode, string> s_modes = new()
    {
        [TimePrecisionMode.Adaptive] = "adaptive",
        [TimePrecisionMode.AdaptiveTimeMicroseconds] = "adaptive_time_microseconds",
        [TimePrecisionMode.AvroLogical] = "avro_logical",
    };

    SourceTestDatabase _database = null!;
    IReadOnlyList<PgColumn> _columns = [];
    readonly List<string?[]> _rows = [];
    readonly List<InProcessConnector> _connectors = [];

    [OneTimeSetUp]
    public async Task StreamEveryModeAsync()
    {
        _database = await SourceTestDatabase.CreateAsync("consumers", TypeRoundTripRows.Setup);
        foreach (var (mode, name) in s_modes)
        {
            var config = _database.Config($"{name}_{_database.Name}");
            config["slot.name"] = $"{_database.SlotName}_{(int)mode}";
            config["topic.name.format"] = Format(mode);
            config["time.precision.mode"] = name;
            _connectors.Add(await InProcessConnector.StartStreamingAsync(config));
        }

        foreach (var insert in TypeRoundTripRows.Inserts) await _database.ExecuteAsync(insert);
        await using var connection = new NpgsqlConnection(PgSessionSettings.Pin(_database.ConnectionString));
        await connection.OpenAsync();
        await using (var oid = new NpgsqlCommand("SELECT 'source_rows'::regclass::oid", connection))
            _columns = await new PgTypeCatalog().DescribeRelationAsync(connection, (uint)(await oid.ExecuteScalarAsync())!, CancellationToken.None);
        await using var select = new NpgsqlCommand("SELECT * FROM source_rows ORDER BY id", connection) { AllResultTypesAreUnknown = true };
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            _rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var connector in _connectors) await connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    [TestCase(TimePrecisionMode.Adaptive)]
    [TestCase(TimePrecisionMode.AdaptiveTimeMicroseconds)]
    [TestCase(TimePrecisionMode.AvroLogical)]
    public async Task ConfluentAvroDeserializer_EveryRecord_DecodesToTheValuesWritten(TimePrecisionMode mode)
    {
        var (records, expected) = await ReadAsync(mode);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = TestEnvironment.RequireSchemaRegistryUrl() });
        var deserializer = new AvroDeserializer<GenericRecord>(registry);

        Assert.Multiple(() =>
        {
            foreach (var record in records)
            {
                var context = new SerializationContext(MessageComponentType.Value, record.Topic);
                var envelope = deserializer.DeserializeAsync(record.RawValue, isNull: false, context).GetAwaiter().GetResult();
                var after = (GenericRecord)envelope["after"];
                var id = (int)after["id"];
                Assert.That(JsonNode.DeepEquals(InteropJson.Render(after.Schema, after), expected[id]), Is.True,
                    $"row {id}: Confluent gave {InteropJson.Render(after.Schema, after)}, written {expected[id]}");
            }
        });
    }

    [TestCase(TimePrecisionMode.Adaptive)]
    [TestCase(TimePrecisionMode.AdaptiveTimeMicroseconds)]
    [TestCase(TimePrecisionMode.AvroLogical)]
    public async Task PythonAvro_EveryRecord_DecodesToTheValuesWritten(TimePrecisionMode mode)
    {
        var (records, expected) = await ReadAsync(mode);

        var response = PythonAvro.Run(new JsonObject
        {
            ["command"] = "consume",
            ["registry"] = TestEnvironment.RequireSchemaRegistryUrl(),
            ["messages"] = new JsonArray([.. records.Select(r => (JsonNode)Convert.ToHexStringLower(r.RawValue))]),
        });

        var values = response["values"]!.AsArray();
        Assert.That(values, Has.Count.EqualTo(records.Count));
        Assert.Multiple(() =>
        {
            foreach (var value in values)
            {
                var after = value!["after"]!.AsObject().Single().Value!;
                var id = (int)after["id"]!.AsObject().Single().Value!;
                Assert.That(JsonNode.DeepEquals(after, expected[id]), Is.True, $"row {id}: Python gave {after.ToJsonString()}, written {expected[id]}");
            }
        });
    }

    /// <summary>The topic's records of <paramref name="mode"/>, and by id the rendering of the row the type layer decodes from SELECT's text.</summary>
    async Task<(IReadOnlyList<RawRecord> Records, Dictionary<int, JsonNode?> Expected)> ReadAsync(TimePrecisionMode mode)
    {
        var topic = Format(mode).Replace("{database}", _database.Name, StringComparison.Ordinal).Replace("{table}", "source_rows", StringComparison.Ordinal);
        var records = await ChangeTopic.ReadAsync(topic, TypeRoundTripRows.Rows.Count, s_timeout);
        var table = PgTableSchema.Build(_database.Name, "public", "source_rows", _columns, new PgAvroOptions { TimePrecision = mode });
        var expected = _rows.ToDictionary(r => int.Parse(r[0]!, System.Globalization.CultureInfo.InvariantCulture),
            r => InteropJson.Render(table.Value, table.DecodeValue(r)));
        Assert.That(records.Select(r => r.Op), Is.All.EqualTo("c"));
        return ([.. records.Select(r => new RawRecord(topic, r.RawValue!))], expected);
    }

    static string Format(TimePrecisionMode mode) => $"{{database}}_{(int)mode}_{{table}}";

    sealed record RawRecord(string Topic, byte[] RawValue);
}
