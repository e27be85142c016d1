namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>Two captured tables whose names map to one topic stop the start, naming both.</summary>
public class TopicCollisionTests
{
    [Test]
    public async Task Start_TwoTablesOnOneTopic_RefusesNamingBoth()
    {
        await using var database = await SourceTestDatabase.CreateAsync("collide", """
            CREATE SCHEMA sales;
            CREATE TABLE public.orders (id integer PRIMARY KEY);
            CREATE TABLE sales.orders (id integer PRIMARY KEY);
            """);

        await using var connector = InProcessConnector.Start(database.Config());

        Assert.That(await connector.Exit.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(1), connector.Log);
        Assert.That(connector.Status.Error, Does.Contain("\"public\".\"orders\"").And.Contain("\"sales\".\"orders\"")
            .And.Contain($"'{database.Topic("orders")}'").And.Contain("{schema}"));
    }

    [Test]
    public async Task Start_SchemaInTheTopicFormat_CapturesBoth()
    {
        await using var database = await SourceTestDatabase.CreateAsync("nocollide", """
            CREATE SCHEMA sales;
            CREATE TABLE public.orders (id integer PRIMARY KEY);
            CREATE TABLE sales.orders (id integer PRIMARY KEY);
            """);
        var config = database.Config();
        config["topic.name.format"] = "{database}.{schema}.{table}";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await database.ExecuteAsync("INSERT INTO public.orders VALUES (1); INSERT INTO sales.orders VALUES (2)");

        var sales = await ChangeTopic.ReadAsync($"{database.Name}.sales.orders", 1);
        Assert.That(sales[0].Source["schema"], Is.EqualTo("sales"));
        await ChangeTopic.ReadAsync($"{database.Name}.public.orders", 1);
    }
}
