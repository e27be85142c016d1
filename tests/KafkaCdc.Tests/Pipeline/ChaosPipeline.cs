using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;
using Npgsql;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// What the fault tests with separate processes (issue 14's chaos list) share: three tables (keyed, keyless under
/// REPLICA IDENTITY FULL, and one appended by an insert-mode sink), the sinks that read them, a workload of small mixed
/// transactions that runs throughout, and the verdict that every destination table equals its source table.
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

    /// <summary>The tables, each with the name of its destination table (its topic) under <paramref name="source"/>.</summary>
    public static (string Table, string Topic)[] TablesOf(SourceTestDatabase source) =>
        [("keyed", source.Topic("keyed")), ("keyless", source.Topic("keyless")), ("appended", source.Topic("appended"))];

    /// <summary>How long a test waits for the pipeline to catch up (a loaded 2-core machine).</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(150);

    /// <summary>The upsert sink of <c>keyed</c> and <c>keyless</c>: two tasks, small batches.</summary>
    public static Dictionary<string, string> UpsertSink(SourceTestDatabase source, SinkDestination destination, params (string Key, string Value)[] overrides) =>
        SinkConfigs.For(destination, $"{source.Topic("keyed")},{source.Topic("keyless")}", [("tasks.max", "2"), ("batch.size", "50"), .. overrides]);

    /// <summary>The insert-mode sink of <c>appended</c>, small batches.</summary>
    public static Dictionary<string, string> InsertSink(SourceTestDatabase source, SinkDestination destination, params (string Key, string Value)[] overrides) =>
        SinkConfigs.For(destination, source.Topic("appended"), [("insert.mode", "insert"), ("batch.size", "50"), .. overrides]);

    /// <summary>
    /// Starts the source and, once it streams, the sinks (named by their keys), all as processes; kills them all when
    /// something fails on the way.
    /// </summary>
    public static async Task<Dictionary<string, ConnectorProcess>> StartAsync(IReadOnlyDictionary<string, string> sourceConfig,
        params (string Name, Dictionary<string, string> Config)[] sinks)
    {
        var processes = new Dictionary<string, ConnectorProcess> { ["source"] = ConnectorProcess.StartSource(sourceConfig) };
        try
        {
            await processes["source"].WaitForOutputAsync("Streaming changes", CatchUpTimeout);
            foreach (var (name, config) in sinks) processes[name] = ConnectorProcess.StartSink(config);
            return processes;
        }
        catch
        {
            await DisposeAsync(processes);
            throw;
        }
    }

    /// <summary>Kills what still runs.</summary>
    public static async Task DisposeAsync(Dictionary<string, ConnectorProcess> processes)
    {
        foreach (var process in processes.Values) await process.DisposeAsync();
    }

    /// <summary>Fails unless every process still runs, showing the output of one that exited.</summary>
    public static void AssertRunning(Dictionary<string, ConnectorProcess> processes, string during)
    {
        foreach (var (name, process) in processes)
            Assert.That(process.HasExited, Is.False, () => $"{name} exited during {during} (exit code {process.ExitCode}):{Environment.NewLine}{process.Output}");
    }

    /// <summary>Small transactions of inserts, updates and deletes on the three tables until stopped; returns how many committed.</summary>
    public static async Task<int> WorkloadAsync(string connectionString, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        var random = new Random(1616);
        var nextId = 1000;
        var transactions = 0;
        while (!stop.IsCancellationRequested)
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
            await using (var command = new NpgsqlCommand(sql, connection)) await command.ExecuteNonQueryAsync(CancellationToken.None);
            transactions++;
            await Task.Delay(2, CancellationToken.None);
        }
        return transactions;
    }

    /// <summary>Waits until every one of <paramref name="tables"/> (all three by default) is equal at both ends; returns the rows compared.</summary>
    public static async Task<int> EveryTableEqualAsync(SourceTestDatabase source, SinkDestination destination, Dictionary<string, ConnectorProcess> processes,
        params string[] tables)
    {
        var checkedRows = 0;
        foreach (var (table, topic) in TablesOf(source).Where(t => tables.Length == 0 || tables.Contains(t.Table)))
            checkedRows += await UntilEqualAsync(source, table, destination, topic, processes);
        return checkedRows;
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
        }, CatchUpTimeout, () => string.Join(Environment.NewLine,
            $"destination table {destinationTable} to equal source table {table}: {expected.Count} rows at the source, {actual.Count} at the destination",
            "only in the source: " + string.Join(" ", expected.Except(actual).Take(10)),
            "only in the destination: " + string.Join(" ", actual.Except(expected).Take(10)),
            string.Join(Environment.NewLine, processes.Select(p => $"{p.Key} output (tail):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", p.Value.Output.Split('\n').TakeLast(12)))),
            $"destination has {actual.Count - actual.Distinct().Count()} duplicate rows"));
        return expected.Count;
    }

    /// <summary>How many records of the topics a sink skips as the source's replays (by the sink's own rule, per partition).</summary>
    public static async Task<int> ReplayedRecordsAsync(string[] topics)
    {
        var replayed = 0;
        foreach (var topic in topics)
        {
            var records = await ChangeTopic.ReadToEndUntilAsync(topic, _ => null, CatchUpTimeout, "every record");
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
