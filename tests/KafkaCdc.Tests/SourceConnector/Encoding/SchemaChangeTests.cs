using KafkaCdc.SourceConnector.Status;

namespace KafkaCdc.Tests.SourceConnector.Encoding;

/// <summary>
/// Columns added, dropped and retyped while the connector streams: each change gets a new value schema version,
/// registered before the first record that needs it, without a restart; a change the registry refuses stops the
/// connector with the table, the column and the registry's reason.
/// </summary>
public class SchemaChangeTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Stream_ColumnAddedDroppedRetyped_EachRecordUsesANewRegisteredVersion()
    {
        await using var database = await SourceTestDatabase.CreateAsync("evolve", "CREATE TABLE evolving (id integer PRIMARY KEY, a integer, n integer)");
        var config = database.Config();
        // Only the streamed records: the backfill that follows the type change has its own tests (SchemaChangeBackfillPipelineTests).
        config["snapshot.on.schema.change"] = "off";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await database.ExecuteAsync("""
            INSERT INTO evolving VALUES (1, 1, 1);
            ALTER TABLE evolving ADD COLUMN b text;
            INSERT INTO evolving VALUES (2, 2, 2, 'two');
            ALTER TABLE evolving DROP COLUMN a;
            INSERT INTO evolving VALUES (3, 3, 'three');
            ALTER TABLE evolving ALTER COLUMN n TYPE bigint;
            INSERT INTO evolving VALUES (4, 4, 'four');
            """);
        var records = (await ChangeTopic.ReadAsync(database.Topic("evolving"), 4, s_timeout)).OrderBy(r => r.Key!["id"]).ToList();

        Assert.That(records.Select(r => r.After!.Schema.Fields.Select(f => f.Name)), Is.EqualTo(new[]
        {
            new[] { "id", "a", "n" }, ["id", "a", "n", "b"], ["id", "n", "b"], ["id", "n", "b"],
        }));
        Assert.That(records.Select(r => r.After!["n"]), Is.EqualTo(new object[] { 1, 2, 3, 4L }), "n is a long once retyped to bigint");
        Assert.That(records.Select(r => r.ValueSchemaId).Distinct().Count(), Is.EqualTo(4), "a new schema for each change");
        var versions = await ChangeTopic.Registry.GetSubjectVersionsAsync(database.Topic("evolving") + "-value");
        Assert.That(versions, Has.Count.EqualTo(4));
        Assert.That((connector.Status.State, connector.Status.Restarts), Is.EqualTo((ConnectorState.Streaming, 0L)), "no restart");
    }

    [Test]
    public async Task Stream_ChangeTheRegistryRejects_StopsNamingTableColumnAndReason()
    {
        await using var database = await SourceTestDatabase.CreateAsync("reject", "CREATE TABLE strict (id integer PRIMARY KEY, n integer)");
        await using var connector = await InProcessConnector.StartStreamingAsync(database.Config());
        await database.ExecuteAsync("INSERT INTO strict VALUES (1, 1)");
        var subject = database.Topic("strict") + "-value";
        await ChangeTopic.ReadAsync(database.Topic("strict"), 1, s_timeout);
        // Under FORWARD the old schema must read new data: an int field cannot read a long.
        await ChangeTopic.Registry.UpdateCompatibilityAsync(Confluent.SchemaRegistry.Compatibility.Forward, subject);

        await database.ExecuteAsync("""
            ALTER TABLE strict ALTER COLUMN n TYPE bigint;
            INSERT INTO strict VALUES (2, 2);
            """);

        Assert.That(await connector.Exit.WaitAsync(s_timeout), Is.EqualTo(1), connector.Log);
        Assert.That(connector.Status.State, Is.EqualTo(ConnectorState.Failed));
        Assert.That(connector.Status.Error, Does.Contain("\"public\".\"strict\"").And.Contain("column \"n\" changed from integer to bigint")
            .And.Contain(subject).And.Contain("409"));
        Assert.That(connector.Status.Health().IsHealthy, Is.False);
        var records = await ChangeTopic.ReadAsync(database.Topic("strict"), 1, s_timeout);
        Assert.That(records, Has.Count.EqualTo(1), "nothing was written with the rejected schema");
    }
}
