using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Checkpointing;

/// <summary>
/// At least once across a crash: the connector process is killed with SIGKILL while a writer commits rows, then
/// restarted; every row must be in Kafka (duplicates allowed, loss not).
/// </summary>
public class CrashRecoveryTests
{
    const int Rows = 1500;
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Kill9DuringStreaming_Restart_EveryChangeIsInKafka()
    {
        await using var database = await SourceTestDatabase.CreateAsync("crash", "CREATE TABLE events (id integer PRIMARY KEY, payload text)");
        var config = database.Config();
        await using var first = ConnectorProcess.Start(config);
        await first.WaitForOutputAsync("Streaming changes", s_timeout);
        var startLsn = (await database.ConfirmedFlushLsnAsync())!.Value;

        var written = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            for (var id = 1; id <= Rows; id++)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO events VALUES ({id}, repeat('x', 100))", connection);
                await insert.ExecuteNonQueryAsync();
                Volatile.Write(ref written, id);
            }
        });
        await Poll.UntilAsync(async () => (await database.ConfirmedFlushLsnAsync())!.Value > startLsn || writer.IsCompleted, s_timeout,
            "the connector to confirm some of the writer's transactions");
        await first.KillAsync();
        var writtenAtKill = Volatile.Read(ref written);
        await writer;
        Assert.That(writtenAtKill, Is.LessThan(Rows), "the connector was killed while the writer was still writing");

        await using var second = ConnectorProcess.Start(config);
        var records = await ChangeTopic.ReadUntilAsync(database.Topic("events"),
            r => r.Select(x => (int)x.Key!["id"]!).Distinct().Count() == Rows, s_timeout, $"all {Rows} rows");

        var ids = records.Select(r => (int)r.Key!["id"]!).ToList();
        Assert.That(ids.Distinct().Order(), Is.EqualTo(Enumerable.Range(1, Rows)), "no row is missing");
        Assert.That(records.All(r => r.Op == "c"), Is.True);
        TestContext.Out.WriteLine($"killed after {writtenAtKill} rows; {ids.Count - Rows} duplicates re-sent after the restart");
        Assert.That(await second.TerminateAsync(s_timeout), Is.Zero, second.Output);
    }
}
