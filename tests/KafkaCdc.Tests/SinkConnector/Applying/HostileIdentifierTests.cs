using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>Names with capitals, spaces, quotes and reserved words work; nothing in a record can inject SQL.</summary>
public class HostileIdentifierTests
{
    const string HostileSchema = "Sink \"Schema\"; --";

    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("hostile_src");
        _destination = await SinkDestination.CreateAsync("hostile_dst", HostileSchema);
    }

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task HostileTableColumnAndSchemaNames_AndInjectionLikeValues_AreWrittenExactly(string insertMode)
    {
        var tableName = $"Weird \"Table\" {insertMode}; DROP TABLE x; --";
        var sourceSchema = TestEnvironment.UniqueName("Src");
        var table = await SourceTable.CreateAsync(_source, $"""
            CREATE SCHEMA "{sourceSchema}";
            CREATE TABLE "{sourceSchema}"."{tableName.Replace("\"", "\"\"")}" (
                "select" integer, "Order Id" text, "a""b" text, "Ünïcödé 😀" text, "UPPER" integer,
                PRIMARY KEY ("Order Id", "select"))
            """, tableName, sourceSchema);
        await table.ExecuteAsync($"""
            INSERT INTO "{sourceSchema}"."{tableName.Replace("\"", "\"\"")}" VALUES
                (1, $$'); DROP TABLE t; --$$, 'x"); SELECT pg_sleep(10); --', 'ok', 1),
                (2, $$Robert'); DELETE FROM kafkacdc_sink_offsets;--$$, E'back\\slash\ttab', NULL, 2)
            """);
        var topic = TestEnvironment.UniqueName("hostile");
        using var events = new ChangeEvents(topic);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, topic,
            ("table.name.format", "${source.table}"), ("insert.mode", insertMode)));
        var rows = await table.RowsAsync();

        await pipeline.ApplyAsync(topic, [.. await Task.WhenAll(rows.Select(r => events.InsertAsync(table, r))), await events.DeleteAsync(table, table.KeyOnly(rows[1]))]);
        await table.ExecuteAsync($"DELETE FROM \"{sourceSchema}\".\"{tableName.Replace("\"", "\"\"")}\" WHERE \"select\" = 2");

        Assert.That(await _destination.ColumnsAsync(tableName), Is.EqualTo(new[]
        {
            "select integer not null", "Order Id text not null", "a\"b text", "Ünïcödé 😀 text", "UPPER integer",
        }));
        Assert.That(await _destination.RowTextsAsync(tableName), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM pg_tables WHERE schemaname = '{HostileSchema.Replace("'", "''")}' AND tablename = 'kafkacdc_sink_offsets'"), Is.EqualTo(1L));
    }

    [Test]
    public async Task RowsOfAnotherProducer_WithoutColumnProperties_GetTypesFromAvro()
    {
        var topic = TestEnvironment.UniqueName("plain_rows");
        var schema = AvroSchemas.Record("Reading", "com.example", [
            new AvroSchemas.FieldDefinition("sensor", AvroSchemas.String),
            new AvroSchemas.FieldDefinition("at", AvroSchemas.Logical(Schema.Type.Long, "timestamp-micros")),
            AvroSchemas.FieldDefinition.Optional("value", AvroSchemas.Double),
            new AvroSchemas.FieldDefinition("tags", AvroSchemas.Array(AvroSchemas.String)),
        ]);
        var key = AvroSchemas.Record("ReadingKey", "com.example", [new AvroSchemas.FieldDefinition("sensor", AvroSchemas.String)]);
        using var events = new ChangeEvents(topic);
        ChangeMessage Row(string sensor, long at, double? value) => new(
            events.SerializeAsync(true, key, AvroSchemas.NewRecord(key, sensor)).Result,
            events.SerializeAsync(false, schema, AvroSchemas.NewRecord(schema, sensor, at, value, new object[] { "a", "b c" })).Result);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, topic));

        await pipeline.ApplyAsync(topic, Row("s1", 1_700_000_000_000_000, 1.5), Row("s2", 0, null), Row("s1", 1_700_000_000_000_001, double.NaN));

        Assert.That(await _destination.ColumnsAsync(topic), Is.EqualTo(new[]
        {
            "sensor text not null", "at timestamp with time zone not null", "value double precision", "tags text[] not null",
        }));
        Assert.That(await _destination.RowTextsAsync(topic), Is.EqualTo(new[]
        {
            "(s1,\"2023-11-14 22:13:20.000001+00\",NaN,\"{a,\"\"b c\"\"}\")",
            "(s2,\"1970-01-01 00:00:00+00\",,\"{a,\"\"b c\"\"}\")",
        }));
    }

    [Test]
    public async Task DeclaredTypeThatIsNotATypeName_IsARecordError_AndNothingRuns()
    {
        var topic = TestEnvironment.UniqueName("injected_type");
        var properties = new List<KeyValuePair<string, object?>>
        {
            new("kafkacdc.column", "id"),
            new("kafkacdc.type", "integer); DROP TABLE victim; --"),
        };
        var schema = AvroSchemas.Record("Value", "hostile", [AvroSchemas.FieldDefinition.Optional("id", AvroSchemas.Int, properties)]);
        await _destination.ExecuteAsync($"CREATE TABLE \"{HostileSchema.Replace("\"", "\"\"")}\".victim (x integer)");
        using var events = new ChangeEvents(topic);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, topic, ("primary.key.mode", "none")));

        var failure = await pipeline.ApplyStoppingAsync(topic, new ChangeMessage(null, await events.SerializeAsync(false, schema, AvroSchemas.NewRecord(schema, 1))));

        Assert.That(failure.Describe(), Does.Contain("'integer); DROP TABLE victim; --' (kafkacdc.type) is not a PostgreSQL type name"));
        Assert.That(await _destination.TableExistsAsync("victim"), Is.True);
        Assert.That(await _destination.TableExistsAsync(topic), Is.False);
    }
}
