using System.Diagnostics;
using System.Text.Json;
using KafkaCdc.DevStack;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.DevStack.Postgres;
using KafkaCdc.DevStack.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// End-to-end streaming throughput of the source connector: a 10-column table, changes committed in PostgreSQL until
// the last record is acknowledged by Kafka, the connector running as its own process (so its peak RSS is its own).
// Starts a throwaway PostgreSQL, the librdkafka mock cluster and the dev schema registry in this process.
//   dotnet run -c Release --project bench/SourceBench [-- --large-transactions 5 --large-rows 200000 --small-transactions 100000 --huge-rows 0
//                                                       --only large,small,catchup,huge --threads --connector-env NAME=VALUE]
// --threads also prints the connector's CPU per thread group (from /proc/PID/task) for each workload.
var settings = BenchSettings.Parse(args);
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores; starting PostgreSQL, Kafka (mock, 3 brokers) and the registry");
await using var postgres = await TemporaryPostgres.StartAsync();
using var kafka = MockKafkaCluster.Start();
await using var registry = await SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions(), NullLoggerFactory.Instance, CancellationToken.None);
var bench = new Bench(postgres, kafka.BootstrapServers, registry.Url.ToString().TrimEnd('/'), settings.Threads, settings.ConnectorEnvironment);
await bench.CreateTableAsync();

var results = new List<string>();
if (settings.Runs("large"))
{
    results.Add(await bench.RunAsync("large", $"{settings.LargeTransactions} transactions of {settings.LargeRows:N0} rows",
        settings.LargeTransactions * settings.LargeRows, async connection =>
        {
            for (var t = 0; t < settings.LargeTransactions; t++)
                await Bench.ExecuteAsync(connection, $"INSERT INTO bench SELECT {Bench.Columns} FROM generate_series({(long)t * settings.LargeRows + 1}, {(long)(t + 1) * settings.LargeRows}) g");
        }));
}
if (settings.Runs("small"))
{
    results.Add(await bench.RunAsync("small", $"{settings.SmallTransactions:N0} single-row transactions", settings.SmallTransactions, async connection =>
        await Bench.ExecuteAsync(connection, $"CALL bench_small({settings.SmallTransactions})")));
}
// The writer above commits about as fast as the connector reads; this one shows the connector's own pace on small
// transactions: they are committed first (the slot keeps them), then the connector starts and catches up.
if (settings.Runs("catchup"))
{
    results.Add(await bench.RunAsync("catchup", $"{settings.SmallTransactions:N0} single-row transactions, caught up after a stop", settings.SmallTransactions,
        async connection => await Bench.ExecuteAsync(connection, $"CALL bench_small({settings.SmallTransactions})"), catchUp: true));
}
if (settings.HugeRows > 0 && settings.Runs("huge"))
{
    results.Add(await bench.RunAsync("huge", $"1 transaction of {settings.HugeRows:N0} rows", settings.HugeRows, async connection =>
        await Bench.ExecuteAsync(connection, $"INSERT INTO bench SELECT {Bench.Columns} FROM generate_series(1, {settings.HugeRows}) g")));
}

Console.WriteLine();
Console.WriteLine("| workload | changes | first change written -> last record acked | changes/s | last commit -> last ack | connector CPU per change | connector peak RSS |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var line in results) Console.WriteLine(line);

sealed record BenchSettings(int LargeTransactions, int LargeRows, int SmallTransactions, int HugeRows, string[] Only, bool Threads, string[] ConnectorEnvironment)
{
    /// <summary>Whether the workload <paramref name="name"/> is to run (all of them without <c>--only</c>).</summary>
    public bool Runs(string name) => Only.Length == 0 || Only.Contains(name);

    public static BenchSettings Parse(string[] args)
    {
        int Get(string name, int defaultValue)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : defaultValue;
        }

        var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1].Split(',') : [];
        return new BenchSettings(Get("--large-transactions", 5), Get("--large-rows", 200_000), Get("--small-transactions", 100_000), Get("--huge-rows", 0),
            only, args.Contains("--threads"), [.. args.Select((a, i) => (a, i)).Where(p => p.a == "--connector-env" && p.i + 1 < args.Length).Select(p => args[p.i + 1])]);
    }
}

sealed class Bench(TemporaryPostgres postgres, string bootstrapServers, string registryUrl, bool threads, string[] connectorEnvironment)
{
    public const string Columns =
        "g, (g % 100000)::int, g * 1000, 'customer ' || g, md5(g::text), (g % 100000) / 100.0, now(), g % 2 = 0, g * 1.5, md5(g::text)::uuid";

    public async Task CreateTableAsync()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, """
            CREATE TABLE bench (
              id bigint PRIMARY KEY, quantity integer, amount_cents bigint, customer text, token varchar(64),
              price numeric(12,2), created timestamptz, paid boolean, weight double precision, ref uuid);
            -- Created here (the connector would create it too), so that a catch-up slot made before the connector's
            -- first start sees it: pgoutput looks the publication up as of each change.
            CREATE PUBLICATION bench_pub FOR ALL TABLES;
            CREATE PROCEDURE bench_small(n integer) LANGUAGE plpgsql AS $$
            DECLARE base bigint := coalesce((SELECT max(id) FROM bench), 0) + 1000000000;
            BEGIN
              FOR i IN 1..n LOOP
                INSERT INTO bench SELECT base + i, i, i * 1000, 'customer ' || i, md5(i::text), i / 100.0, now(), i % 2 = 0, i * 1.5, md5(i::text)::uuid;
                COMMIT;
              END LOOP;
            END $$;
            """);
    }

    /// <summary>
    /// Starts a connector process, runs the workload, waits for every record to be acknowledged, and reports. With
    /// <c>catchUp</c> the workload is committed before the connector starts (its slot exists) and the clock starts with the process.
    /// </summary>
    public async Task<string> RunAsync(string name, string description, long changes, Func<NpgsqlConnection, Task> workload, bool catchUp = false)
    {
        await using (var connection = await OpenAsync())
        {
            await ExecuteAsync(connection, "TRUNCATE bench");
            if (catchUp)
            {
                await ExecuteAsync(connection, $"SELECT pg_create_logical_replication_slot('bench_{name}', 'pgoutput')");
                await workload(connection);
            }
        }
        var port = LocalPorts.Free();
        var configPath = Path.Combine(Path.GetTempPath(), $"sourcebench-{name}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["name"] = "bench-" + name,
            ["database.hostname"] = "127.0.0.1",
            ["database.port"] = postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["database.user"] = TemporaryPostgres.SuperUser,
            ["database.password"] = postgres.Password,
            ["database.dbname"] = "postgres",
            ["database.sslmode"] = "disable",
            ["slot.name"] = "bench_" + name,
            ["publication.name"] = "bench_pub",
            ["publication.autocreate.mode"] = "all_tables",
            ["topic.name.format"] = "bench_" + name + "_{table}",
            ["heartbeat.action"] = "none",
            ["kafka.bootstrap.servers"] = bootstrapServers,
            ["schema.registry.url"] = registryUrl,
            ["rest.port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["log.level"] = "warn",
        }));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var clock = Stopwatch.StartNew();
        using var connector = StartConnector(configPath);
        try
        {
            await WaitAsync(http, s => s.GetProperty("state").GetString() == "streaming", TimeSpan.FromSeconds(60), connector);
            Console.WriteLine($"{name}: {description}...");

            var cpuBefore = CpuSeconds(connector.Id);
            var threadsBefore = ThreadCpuSeconds(connector.Id);
            var othersBefore = threads ? await OtherCpuSecondsAsync() : default;
            if (!catchUp)
            {
                clock.Restart();
                await using var connection = await OpenAsync();
                await workload(connection);
            }
            var committed = clock.Elapsed;
            await WaitAsync(http, s => s.GetProperty("tables").TryGetProperty("public.bench", out var table) && table.GetProperty("c").GetInt64() >= changes
                                       && s.GetProperty("records_in_flight").GetInt64() == 0, TimeSpan.FromMinutes(10), connector);
            var acked = clock.Elapsed;
            var cpuMicros = (CpuSeconds(connector.Id) - cpuBefore) * 1e6 / changes;
            var peakKb = PeakRssKb(connector.Id);
            if (threads)
            {
                PrintThreadCpu(name, threadsBefore, ThreadCpuSeconds(connector.Id), changes);
                var othersAfter = await OtherCpuSecondsAsync();
                Console.WriteLine($"{name}: other CPU: PostgreSQL {(othersAfter.Postgres - othersBefore.Postgres) * 1e6 / changes:0.0} µs/change, " +
                                  $"benchmark process (mock Kafka, registry) {(othersAfter.Bench - othersBefore.Bench) * 1e6 / changes:0.0} µs/change");
            }
            var rate = changes / acked.TotalSeconds;
            Console.WriteLine($"{name}: {changes:N0} changes acknowledged after {acked.TotalSeconds:0.0} s ({rate:N0}/s), committed after {committed.TotalSeconds:0.0} s, " +
                              $"connector CPU {cpuMicros:0.0} µs/change, peak RSS {peakKb / 1024.0:0} MB");
            return $"| {description} | {changes:N0} | {acked.TotalSeconds:0.0} s | {rate:N0} | {(acked - committed).TotalSeconds:0.0} s | {cpuMicros:0.0} µs | {peakKb / 1024.0:0} MB |";
        }
        finally
        {
            connector.Kill();
            await connector.WaitForExitAsync();
            File.Delete(configPath);
            await using var connection = await OpenAsync();
            await ExecuteAsync(connection, $"SELECT pg_drop_replication_slot('bench_{name}') FROM pg_replication_slots WHERE slot_name = 'bench_{name}' AND NOT active");
        }
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    Process StartConnector(string configPath)
    {
        var start = new ProcessStartInfo(ChildProcesses.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var variable in connectorEnvironment)
        {
            var (name, value) = (variable[..variable.IndexOf('=')], variable[(variable.IndexOf('=') + 1)..]);
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KafkaCdc.SourceConnector.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  connector: " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  connector: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task WaitAsync(HttpClient http, Func<JsonElement, bool> condition, TimeSpan timeout, Process connector)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (connector.HasExited) throw new InvalidOperationException($"the connector exited with {connector.ExitCode}");
            try
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync("status"));
                if (condition(status.RootElement)) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the connector did not get there in time");
            await Task.Delay(20);
        }
    }

    /// <summary>User plus system CPU time of a process so far (/proc/PID/stat, clock ticks of 1/100 s).</summary>
    static double CpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>CPU seconds so far of the PostgreSQL server's processes (children of the postmaster) and of this process.</summary>
    async Task<(double Postgres, double Bench)> OtherCpuSecondsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var postmaster = int.Parse(File.ReadLines($"/proc/{backend}/status").Single(l => l.StartsWith("PPid:", StringComparison.Ordinal)).Split('\t')[1].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        var children = File.ReadAllText($"/proc/{postmaster}/task/{postmaster}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture));
        var postgresSeconds = CpuSeconds(postmaster);
        foreach (var child in children)
        {
            try
            {
                postgresSeconds += CpuSeconds(child);
            }
            catch (IOException)
            {
                // Ended meanwhile.
            }
        }
        return (postgresSeconds, CpuSeconds(Environment.ProcessId));
    }

    /// <summary>CPU seconds so far per thread (/proc/PID/task/TID/stat), with the thread's name.</summary>
    static Dictionary<int, (string Name, double Seconds)> ThreadCpuSeconds(int pid)
    {
        var threads = new Dictionary<int, (string, double)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var seconds = (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
                threads[int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)] = (name, seconds);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return threads;
    }

    /// <summary>The CPU each thread group (threads of one name, digits dropped) used between two samples, in µs per change.</summary>
    static void PrintThreadCpu(string workload, Dictionary<int, (string Name, double Seconds)> before, Dictionary<int, (string Name, double Seconds)> after, long changes)
    {
        var groups = after.GroupBy(t => new string(t.Value.Name.Where(c => !char.IsDigit(c)).ToArray()).Trim())
            .Select(g => (Name: g.Key, Threads: g.Count(),
                Seconds: g.Sum(t => t.Value.Seconds - (before.TryGetValue(t.Key, out var b) && b.Name == t.Value.Name ? b.Seconds : 0))))
            .Where(g => g.Seconds > 0).OrderByDescending(g => g.Seconds);
        Console.WriteLine($"{workload}: connector CPU by thread: " +
                          string.Join(", ", groups.Select(g => $"{g.Name} ×{g.Threads} {g.Seconds * 1e6 / changes:0.0} µs")));
    }

    static long PeakRssKb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).Single();

}
