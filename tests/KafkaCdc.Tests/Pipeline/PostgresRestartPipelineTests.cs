using System.Diagnostics;
using KafkaCdc.DevStack.Postgres;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;
using Npgsql;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 14's chaos list, PostgreSQL restarted under load: the pipeline of <see cref="ChaosPipeline"/> (source and two
/// sinks as processes, keyed, keyless and insert-mode tables) while its workload writes on; the source's server stopped
/// for about five seconds, by a fast shutdown and by an immediate one (a crash: WAL recovery on start, the slot's
/// confirmed position back to its last checkpoint), and the destination's server restarted. The connectors must
/// reconnect with their backoff, resume, still be running, and every destination table end equal to its source table.
/// The restarted server is one the fixture starts (shared by its tests, each with databases of its own), never the run's
/// shared one.
/// </summary>
public class PostgresRestartPipelineTests
{
    static readonly TimeSpan s_downtime = TimeSpan.FromSeconds(5);
    TemporaryPostgres _server = null!;
    bool _down;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await TemporaryPostgres.StartAsync();

    /// <summary>
    /// A test that failed during the outage left the server stopped: the next test gets it running. The pooled connections
    /// this process opened to the server before its restart are dead (57P01): the next test opens new ones.
    /// </summary>
    [TearDown]
    public async Task StartAgainIfDownAsync()
    {
        if (_down) await _server.StartAgainAsync();
        _down = false;
        NpgsqlConnection.ClearAllPools();
    }

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [TestCase(PostgresShutdownMode.Fast)]
    [TestCase(PostgresShutdownMode.Immediate)]
    public async Task SourceServerRestarted_UnderLoad_BothConnectorsResume_EveryTableEqual(PostgresShutdownMode mode)
    {
        await using var source = await SourceTestDatabase.CreateAsync("src_restart", ChaosPipeline.Tables, _server.ConnectionString);
        var destination = await SinkDestination.CreateAsync("src_restart_dst");
        await RestartUnderLoadAsync(mode, "source", source, destination);
    }

    [Test]
    public async Task DestinationServerRestarted_UnderLoad_BothConnectorsResume_EveryTableEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("dst_restart", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("dst_restart_dst", server: _server.ConnectionString);
        await RestartUnderLoadAsync(PostgresShutdownMode.Fast, "destination", source, destination);
    }

    /// <summary>
    /// Starts the pipeline and the workload, stops the fixture's server (the <paramref name="side"/>'s) with
    /// <paramref name="mode"/> once changes flow, starts it again after <see cref="s_downtime"/>, waits (the workload
    /// writing on) until a change made after the restart reached the destination, then stops the workload and compares.
    /// </summary>
    async Task RestartUnderLoadAsync(PostgresShutdownMode mode, string side, SourceTestDatabase source, SinkDestination destination)
    {
        var server = _server;
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            await ChaosPipeline.StartConnectorsAsync(processes, source, destination);
            using var stopWorkload = new CancellationTokenSource();
            var workload = Task.Run(() => ChaosPipeline.RunWorkloadAsync(source.ConnectionString, stopWorkload.Token));
            foreach (var table in new[] { "keyed", "appended" })
                await ChaosPipeline.UntilEqualAsync(source, table, destination, source.Topic(table), processes, whileWriting: true);
            Assert.That(workload.IsCompleted, Is.False, () => $"the workload ended early: {workload.Exception}");

            var clock = Stopwatch.StartNew();
            _down = true;
            await StopAsync(server, mode, side);
            var stopped = clock.Elapsed;
            await Task.Delay(s_downtime); // the outage itself, while the workload tries on
            var startedAt = clock.Elapsed;
            await server.StartAgainAsync();
            _down = false;
            var back = clock.Elapsed;
            if (side == "source")
            {
                await Poll.UntilAsync(() => Occurrences(processes["source"].Output, "Streaming changes") >= 2, ChaosPipeline.Timeout,
                    () => $"the source to stream again after its server's restart; its output:{Environment.NewLine}{processes["source"].Output}");
            }
            var reconnected = clock.Elapsed;

            // A change the workload makes from now on, through both connectors: the pipeline resumed under load.
            var newest = await NewestInsertAsync(source.ConnectionString, "appended");
            await Poll.UntilAsync(async () => await NewestInsertAsync(destination.AdminConnectionString, PgIdentifier.Quote(destination.Schema, source.Topic("appended"))) > newest,
                ChaosPipeline.Timeout, () => $"a row the workload inserted after the {side} server's restart (id above {newest}) at the destination; " +
                                             string.Join(Environment.NewLine, processes.Select(p => $"{p.Key} output:{Environment.NewLine}{p.Value.Output}")));
            var resumed = clock.Elapsed;
            Assert.That(workload.IsCompleted, Is.False, () => $"the workload ended early: {workload.Exception}");
            await stopWorkload.CancelAsync();
            var (transactions, interrupted) = await workload;

            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            var equal = clock.Elapsed;
            ChaosPipeline.AssertStillRunning(processes, $"the {side} server's restart");
            var replayed = await ChaosPipeline.ReplayedRecordsAsync(source);
            TestContext.Out.WriteLine(
                $"{side} server, {mode} shutdown: stopped in {stopped.TotalSeconds:0.0} s, down {(back - stopped).TotalSeconds:0.0} s " +
                $"(pg_ctl start {(back - startedAt).TotalSeconds:0.0} s); after it was back: " +
                (side == "source" ? $"source streaming again in {(reconnected - back).TotalSeconds:0.0} s, " : "") +
                $"a new change at the destination in {(resumed - back).TotalSeconds:0.0} s, every table equal in {(equal - back).TotalSeconds:0.0} s; " +
                $"{transactions} transactions committed, {interrupted} interrupted by the outage; {checkedRows} rows checked; " +
                $"{replayed} records in the topics were the source's replays (skipped by the sinks)");

            // The outage reached the connectors of its side, which retried rather than exited.
            if (side == "source")
            {
                Assert.That(processes["source"].Output, Does.Contain("Transient failure, reconnecting"), "the source saw its server go and reconnected");
                Assert.That(interrupted, Is.GreaterThan(0), "the workload wrote on through the outage");
            }
            else
            {
                foreach (var sink in new[] { "upsert sink", "insert sink" })
                    Assert.That(processes[sink].Output, Does.Contain("failed transiently"), $"the {sink} saw its server go and retried");
            }
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    /// <summary>Stops the server; a stop that fails (e.g. a WAL sender that never lets go) fails the test with the server's log.</summary>
    static async Task StopAsync(TemporaryPostgres server, PostgresShutdownMode mode, string side)
    {
        try
        {
            await server.StopAsync(mode);
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail($"the {side} server did not stop ({mode}): {e.Message}{Environment.NewLine}its log (tail):{Environment.NewLine}" +
                        string.Join(Environment.NewLine, server.ReadServerLog().Split('\n').TakeLast(30)));
        }
    }

    /// <summary>The id of the workload's newest insert into <paramref name="table"/> (its ids below 500,000 grow with each insert).</summary>
    static async Task<long> NewestInsertAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(id), 0) FROM {table} WHERE id < 500000", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
