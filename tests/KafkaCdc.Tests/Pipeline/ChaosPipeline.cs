using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;
using Npgsql;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// What issue 14's fault tests with separate processes share: three tables (keyed, keyless under REPLICA IDENTITY FULL,
/// append-only for an insert-mode sink), the source and two sinks as processes, a workload of small mixed transactions,
/// and the verdict (every destination table equal to its source table, the connectors still running).
/// </summary>
internal static class ChaosPipeline
{
    /// <summary>A keyed table, a keyless one under REPLICA IDENTITY FULL, and an append-only one for an insert-mode sink.</summary>
    public const string Tables = """
        CREATE TABLE keyed (id integer PRIMARY KEY, n integer NOT NULL, v text);
        CREATE TABLE keyless (n integer, v text);
        ALTER TABLE keyless REPLICA IDENTITY FULL;
        CREATE TABLE appended (id bigint PRIMARY KEY, v text);
        INSERT INTO keyed SELECT i, 0, 'seed' FROM generate_series(1, 200) i;
        INSERT INTO keyless SELECT i % 20, 'seed' FROM generate_series(1, 100) i;
        """;

    /// <summary>How long each wait may take on the loaded 2-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    /// <summary>The tables of <see cref="Tables"/>.</summary>
    static readonly string[] s_tables = ["keyed", "keyless", "appended"];

    /// <summary>The upsert sink (keyed and keyless topics, two tasks) and the insert-mode sink (appended topic).</summary>
    public static (Dictionary<string, string> Upsert, Dictionary<string, string> Insert) SinkConfigsFor(SourceTestDatabase source, SinkDestination destination) =>
        (SinkConfigs.For(destination, $"{source.Topic("keyed")},{source.Topic("keyless")}", ("tasks.max", "2"), ("batch.size", "50")),
         SinkConfigs.For(destination, source.Topic("appended"), ("insert.mode", "insert"), ("batch.size", "50")));

    /// <summary>
    /// Starts the source (waiting until it streams), then the two sinks (<paramref name="sinkConfigs"/>, by default
    /// <see cref="SinkConfigsFor"/>'s: a test that restarts a sink passes the configurations it restarts it with, so that
    /// it rejoins its group), adding each to <paramref name="processes"/> as it starts (so the caller disposes whatever
    /// started): <c>source</c>, <c>upsert sink</c>, <c>insert sink</c>.
    /// </summary>
    public static async Task StartConnectorsAsync(Dictionary<string, ConnectorProcess> processes, SourceTestDatabase source, SinkDestination destination,
        IReadOnlyDictionary<string, string>? sourceConfig = null, (Dictionary<string, string> Upsert, Dictionary<string, string> Insert)? sinkConfigs = null)
    {
        processes["source"] = ConnectorProcess.StartSource(sourceConfig ?? source.Config());
        await processes["source"].WaitForOutputAsync("Streaming changes", Timeout);
        var (upsert, insert) = sinkConfigs ?? SinkConfigsFor(source, destination);
        processes["upsert sink"] = ConnectorProcess.StartSink(upsert);
        processes["insert sink"] = ConnectorProcess.StartSink(insert);
    }

    /// <summary>
    /// <see cref="StartConnectorsAsync"/>, then <see cref="RunWorkloadAsync"/> until <paramref name="stopWorkload"/>; returns
    /// the workload's task once the pipeline flows under it (the destination holds half the keyed table's rows).
    /// </summary>
    public static async Task<Task<(int Committed, int Interrupted)>> StartUnderLoadAsync(Dictionary<string, ConnectorProcess> processes,
        SourceTestDatabase source, SinkDestination destination, CancellationToken stopWorkload, IReadOnlyDictionary<string, string>? sourceConfig = null,
        (Dictionary<string, string> Upsert, Dictionary<string, string> Insert)? sinkConfigs = null)
    {
        await StartConnectorsAsync(processes, source, destination, sourceConfig, sinkConfigs);
        var workload = Task.Run(() => RunWorkloadAsync(source.ConnectionString, stopWorkload));
        await UntilEqualAsync(source, "keyed", destination, source.Topic("keyed"), processes, whileWriting: true);
        return workload;
    }

    /// <summary>
    /// Small transactions of inserts, updates and deletes on the three tables until stopped. A transaction the server
    /// ended (it stopped, or is starting up) is counted as interrupted and the connection opened anew, so the workload
    /// outlives an outage of its server; any other failure ends it.
    /// </summary>
    /// <param name="connectionString">The source database.</param>
    /// <param name="stop">Ends the workload.</param>
    /// <param name="maxTransactions">Ends it earlier, after this many transactions (committed or interrupted).</param>
    /// <returns>How many transactions committed, and how many an outage interrupted (their outcome unknown).</returns>
    public static async Task<(int Committed, int Interrupted)> RunWorkloadAsync(string connectionString, CancellationToken stop, int maxTransactions = int.MaxValue)
    {
        var random = new Random(1616);
        var nextId = 1000;
        int transactions = 0, interrupted = 0;
        NpgsqlConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested && transactions + interrupted < maxTransactions)
            {
                var id = random.Next(1, nextId);
                var sql = (transactions % 4) switch
                {
                    0 => $"INSERT INTO keyed VALUES ({nextId}, 0, 'new') ON CONFLICT DO NOTHING; INSERT INTO keyless VALUES ({random.Next(20)}, 'dup'); INSERT INTO appended VALUES ({nextId}, 'a')",
                    1 => $"UPDATE keyed SET n = n + 1, v = md5(random()::text) WHERE id = {id % 200 + 1}; " +
                         "UPDATE keyless SET v = md5(random()::text) WHERE ctid = (SELECT ctid FROM keyless ORDER BY n, v LIMIT 1)",
                    2 => $"DELETE FROM keyed WHERE id = {id}; DELETE FROM keyless WHERE ctid = (SELECT ctid FROM keyless WHERE n = {random.Next(20)} LIMIT 1); " +
                         $"DELETE FROM appended WHERE id = {id}",
                    _ => $"INSERT INTO keyless VALUES ({random.Next(20)}, 'dup'), ({random.Next(20)}, 'dup'); UPDATE keyed SET n = n - 1 WHERE id = {id % 200 + 1}; " +
                         $"INSERT INTO appended VALUES ({nextId + 500_000}, 'b')",
                };
                nextId++;
                try
                {
                    if (connection is null)
                    {
                        connection = new NpgsqlConnection(connectionString);
                        await connection.OpenAsync(CancellationToken.None);
                    }
                    await using (var command = new NpgsqlCommand(sql, connection)) await command.ExecuteNonQueryAsync(CancellationToken.None);
                    transactions++;
                }
                catch (NpgsqlException e) when (PgErrorClassification.Classify(e) == FailureKind.Transient)
                {
                    // The server went down or is starting up: this transaction may or may not have committed; the verdict compares
                    // the source as it is. Try again on a new connection after a pause (the retry's backoff, not a synchronisation).
                    interrupted++;
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                    await Task.Delay(100, CancellationToken.None);
                }
                await Task.Delay(2, CancellationToken.None);
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
        return (transactions, interrupted);
    }

    /// <summary>
    /// Kills <paramref name="source"/> (kill -9) once the initial snapshot of <paramref name="source"/>'s database's table
    /// <c>keyless</c> has begun, before it ends; returns the records its topic held then. Polled every 10 ms (Poll's
    /// intervals grow to 200 ms, longer than the table's snapshot on a quiet machine). Inconclusive when the table's
    /// snapshot had ended by the kill, as far as the connector's log says.
    /// </summary>
    public static async Task<long> KillMidKeylessSnapshotAsync(ConnectorProcess source, SourceTestDatabase database)
    {
        long records;
        var deadline = DateTime.UtcNow + Timeout;
        while ((records = SinkDestination.EndOffsets(database.Topic("keyless")).Values.Sum()) == 0)
        {
            if (DateTime.UtcNow >= deadline || source.HasExited) Assert.Fail($"the keyless table's snapshot did not begin:{Environment.NewLine}{source.Output}");
            await Task.Delay(10);
        }
        await source.KillAsync();
        if (source.Output.Contains("Snapshot of public.keyless complete", StringComparison.Ordinal))
            Assert.Inconclusive($"the kill came after the keyless table's snapshot ended ({records} records in its topic)");
        return records;
    }

    /// <summary>
    /// Inconclusive unless the restarted <paramref name="source"/> resumed the interrupted snapshot: it may still have
    /// ended between the poll and the kill (its last log line not yet written).
    /// </summary>
    public static void AssumeSnapshotResumed(ConnectorProcess source, long keylessAtKill)
    {
        if (!source.Output.Contains("resuming an interrupted snapshot", StringComparison.Ordinal))
            Assert.Inconclusive($"the kill came after the snapshot ended ({keylessAtKill} keyless records in Kafka at the kill)");
    }

    /// <summary>Waits until every destination table equals its source table; returns the rows compared.</summary>
    public static async Task<int> EveryTableEqualAsync(SourceTestDatabase source, SinkDestination destination, Dictionary<string, ConnectorProcess> processes)
    {
        var checkedRows = 0;
        foreach (var table in s_tables) checkedRows += await UntilEqualAsync(source, table, destination, source.Topic(table), processes);
        return checkedRows;
    }

    /// <summary>Fails naming the connector that exited (gave up) during <paramref name="what"/>, with its output.</summary>
    public static void AssertStillRunning(Dictionary<string, ConnectorProcess> processes, string what)
    {
        foreach (var (name, process) in processes) Assert.That(process.HasExited, Is.False, $"{name} gave up during {what}:{Environment.NewLine}{process.Output}");
    }

    /// <summary>Waits until the destination table equals the source's; returns the rows compared.</summary>
    /// <param name="source">The source database.</param>
    /// <param name="table">The source table.</param>
    /// <param name="destination">The destination database.</param>
    /// <param name="destinationTable">The destination table.</param>
    /// <param name="processes">The connectors, whose output a failure shows.</param>
    /// <param name="whileWriting">Only wait for the destination to hold most of the source's rows (the workload still runs).</param>
    public static async Task<int> UntilEqualAsync(SourceTestDatabase source, string table, SinkDestination destination, string destinationTable,
        Dictionary<string, ConnectorProcess> processes, bool whileWriting = false)
    {
        List<string> expected = [], actual = [];
        await Poll.UntilAsync(async () =>
        {
            (expected, actual) = await PipelineCompare.RowTextsAsync(source, table, destination, destinationTable);
            return whileWriting ? actual.Count >= expected.Count / 2 : expected.SequenceEqual(actual);
        }, Timeout, () => string.Join(Environment.NewLine,
            $"destination table {destinationTable} to equal source table {table}: {expected.Count} rows at the source, {actual.Count} at the destination",
            "only in the source: " + string.Join(" ", expected.Except(actual).Take(10)),
            "only in the destination: " + string.Join(" ", actual.Except(expected).Take(10)),
            string.Join(Environment.NewLine, processes.Select(p => $"{p.Key} output (tail):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", LogLines(p.Value.Output).TakeLast(20)))),
            $"destination has {actual.Count - actual.Distinct().Count()} duplicate rows"));
        return expected.Count;
    }

    /// <summary>A connector's output without exceptions' stack frames, so that its tail shows what it logged.</summary>
    static IEnumerable<string> LogLines(string output) =>
        output.Split('\n').Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !l.Contains("--- End of stack trace", StringComparison.Ordinal));

    /// <summary>How many records of the three tables' topics a sink skips as the source's replays (by the sink's own rule, per partition).</summary>
    public static async Task<int> ReplayedRecordsAsync(SourceTestDatabase source)
    {
        var replayed = 0;
        foreach (var table in s_tables)
        {
            var records = await ChangeTopic.ReadToEndUntilAsync(source.Topic(table), _ => null, Timeout, "every record");
            var fences = new Dictionary<int, PartitionFence>();
            foreach (var record in records)
            {
                if (!fences.TryGetValue(record.Partition, out var fence)) fences[record.Partition] = fence = new PartitionFence(null);
                if (fence.Admit(record.Offset, record.Position) == PartitionFence.Replayed) replayed++;
            }
        }
        return replayed;
    }
}
