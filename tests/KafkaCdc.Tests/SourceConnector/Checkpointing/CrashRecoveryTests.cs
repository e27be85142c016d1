using KafkaCdc.SinkConnector.Committing;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Checkpointing;

/// <summary>
/// At least once across a crash: the connector process is killed with SIGKILL while a writer commits rows, then
/// restarted; every row must be in Kafka (duplicates allowed, loss not).
/// </summary>
public class CrashRecoveryTests
{
    const int RowsAfterKill = 300;
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Kill9DuringStreaming_Restart_EveryChangeIsInKafka()
    {
        await using var database = await SourceTestDatabase.CreateAsync("crash", "CREATE TABLE events (id integer PRIMARY KEY, payload text)");
        var config = database.Config();
        await using var first = ConnectorProcess.StartSource(config);
        await first.WaitForOutputAsync("Streaming changes", s_timeout);
        var startLsn = (await database.ConfirmedFlushLsnAsync())!.Value;

        // The writer commits one row per transaction until RowsAfterKill rows after the kill.
        var written = 0;
        var killed = new TaskCompletionSource<int>();
        var writer = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            for (var id = 1; !killed.Task.IsCompleted || id <= killed.Task.Result + RowsAfterKill; id++)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO events VALUES ({id}, repeat('x', 100))", connection);
                await insert.ExecuteNonQueryAsync();
                Volatile.Write(ref written, id);
            }
        });
        // Kill mid-stream: the connector has confirmed some of the writer's rows and is producing more.
        await Poll.UntilAsync(async () => (await database.ConfirmedFlushLsnAsync())!.Value > startLsn, s_timeout,
            "the connector to confirm some of the writer's transactions");
        var midStream = await database.CurrentWalLsnAsync();
        await Poll.UntilAsync(async () => (await database.ConfirmedFlushLsnAsync())!.Value >= midStream, s_timeout,
            "the connector to confirm a later part of the stream");
        await first.KillAsync();
        killed.SetResult(Volatile.Read(ref written));
        await writer;
        var rows = Volatile.Read(ref written);

        await using var second = ConnectorProcess.StartSource(config);
        var records = await ChangeTopic.ReadUntilAsync(database.Topic("events"),
            r => r.Select(x => (int)x.Key!["id"]!).Distinct().Count() == rows, s_timeout, $"all {rows} rows");

        var ids = records.Select(r => (int)r.Key!["id"]!).ToList();
        Assert.That(ids.Distinct().Order(), Is.EqualTo(Enumerable.Range(1, rows)), "no row is missing");
        Assert.That(records.All(r => r.Op == "c"), Is.True);
        // The records sent again carry the positions they had the first time, so a reader keeping the highest position
        // it applied (the sink's PartitionFence) takes each row exactly once.
        Assert.That(records.All(r => r.Position is not null), Is.True, "every streamed record has a source position");
        Assert.That(records.GroupBy(r => (int)r.Key!["id"]!).Where(g => g.Select(r => r.Position).Distinct().Count() != 1).Select(g => g.Key),
            Is.Empty, "rows whose records were sent again with another position");
        var fences = records.Select(r => r.Partition).Distinct().ToDictionary(p => p, _ => new PartitionFence(null));
        var admitted = records.Where(r => fences[r.Partition].Admit(r.Offset, r.Position) is null).Select(r => (int)r.Key!["id"]!).ToList();
        Assert.That(admitted.Order(), Is.EqualTo(Enumerable.Range(1, rows)), "the records a sink applies: each row once");
        TestContext.Out.WriteLine($"killed after {killed.Task.Result} of {rows} rows; {ids.Count - rows} records re-sent after the restart");
        Assert.That(await second.TerminateAsync(s_timeout), Is.Zero, second.Output);
    }
}
