using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.Postgres.Integration;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>
/// Every type of the contract, with the type-layer tests' rows of extreme values (NaN, infinities, BC dates, unicode,
/// arrays of odd shapes...): the sink's table equals the source's, compared as <c>row::text</c>, in both write paths.
/// User-defined types the destination lacks (enum, composite, citext) become <c>text</c>, whose output is the same.
/// </summary>
public class EveryTypeTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("types_src");
        await using var connection = new Npgsql.NpgsqlConnection(_source);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("CREATE EXTENSION citext SCHEMA public", connection);
        await command.ExecuteNonQueryAsync();
        _destination = await SinkDestination.CreateAsync("types_dst");
    }

    [TestCase("upsert", BinaryHandlingMode.Bytes, DecimalHandlingMode.Precise)]
    [TestCase("insert", BinaryHandlingMode.Bytes, DecimalHandlingMode.Precise)]
    [TestCase("upsert", BinaryHandlingMode.Base64, DecimalHandlingMode.String)]
    [TestCase("insert", BinaryHandlingMode.Hex, DecimalHandlingMode.Precise)]
    public async Task EveryTypeAndExtremeValue_WrittenBackEqualToTheSource(string insertMode, BinaryHandlingMode binary, DecimalHandlingMode decimals)
    {
        var schema = TestEnvironment.UniqueName("types");
        var setup = $"CREATE SCHEMA {schema}; SET search_path = {schema}, public; " + TypeRoundTripRows.Setup;
        var table = await SourceTable.CreateAsync(_source, setup, "source_rows", schema, new PgAvroOptions { BinaryHandling = binary, DecimalHandling = decimals });
        foreach (var insert in TypeRoundTripRows.Inserts) await table.ExecuteAsync($"SET search_path = {schema}, public; " + insert);
        var topic = schema;
        using var events = new ChangeEvents(topic);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, topic, ("insert.mode", insertMode)));

        await pipeline.ApplyAsync(topic, await events.InsertsOfEveryRowAsync(table));

        Assert.That(await _destination.RowTextsAsync(topic), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(await _destination.ColumnsAsync(topic), Has.Member("c_mood text").And.Member("c_numeric_1000 numeric(1000,500)").And.Member("c_money money"));
    }
}
