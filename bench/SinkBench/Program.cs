using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Avro.Generic;
using Confluent.Kafka;
using KafkaCdc.DevStack;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.DevStack.Postgres;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Consuming;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Sink throughput and memory: pre-fills topics with change records of a 10-column table (as the source writes them:
// the type layer's schemas and decoders, the shared Avro serializer, the registry), then runs the sink binary as a
// child process per scenario and measures records/s from its first partition assignment until the offsets table reaches
// the topic's end, its peak RSS (VmHWM) and the CPU time of the sink, PostgreSQL and this process (Kafka, registry). Infrastructure in this process: a throwaway PostgreSQL 15 (fsync off), the
// librdkafka mock cluster (1 broker) and the dev schema registry.
//   dotnet run -c Release --project bench/SinkBench [-- --records 500000 --scenarios upsert:1,insert:1,upsert:2,insert:2
//                                                      --sink-env NAME=VALUE (repeatable: set in the sink's environment only)
//                                                      --sink NAME=PATH (repeatable) --rounds N]
// Comparing builds (before/after a change): --sink names a KafkaCdc.SinkConnector.dll to run (another checkout's
// `dotnet build -c Release src/SinkConnector` output; default: this build's sink), --rounds repeats the scenarios, each
// round running every sink on the same topics, in alternating order (ABBA) so that the machine's drift spreads evenly;
// a summary prints each sink's median per scenario. On a shared guest identical runs differ by ±10 %: compare builds
// this way, in one run, not across runs.
// Scenario read:1 (not in the default list) times a plain consumer configured like a task on the insert topic, in this
// process: what the broker can hand one task, without decoding or the database.
var records = 500_000;
var scenarios = new[] { "upsert:1", "insert:1", "upsert:2", "insert:2" };
var sinkEnvironment = new List<string>();
var sinks = new List<(string Name, string Dll)>();
var rounds = 1;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--records") records = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--scenarios") scenarios = args[i + 1].Split(',');
    if (args[i] == "--sink-env") sinkEnvironment.Add(args[i + 1]);
    if (args[i] == "--sink") sinks.Add(ParseSink(args[i + 1]));
    if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
}
if (sinks.Count == 0) sinks.Add(("this build", Path.Combine(AppContext.BaseDirectory, "KafkaCdc.SinkConnector.dll")));
// librdkafka's mock cluster keeps about 5 MB per partition and drops the oldest records beyond that (checked after
// producing): spread the topics over enough partitions to keep every record (~220 bytes each).
var Partitions = Math.Max(4, (int)Math.Ceiling(records * 250.0 / (4 << 20)));
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--partitions") Partitions = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
}

Console.WriteLine($"SinkBench: {records:N0} records per topic, {Partitions} partitions, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
await using var postgres = await TemporaryPostgres.StartAsync();
using var kafka = MockKafkaCluster.Start(1);
// As a real broker's group.initial.rebalance.delay.ms (3 s by default): the tasks of one process join one generation,
// so nothing is consumed before the assignment the measurement starts from.
kafka.SetGroupInitialRebalanceDelay(TimeSpan.FromSeconds(2));
await using var registryServer = await SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { Port = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
var registryUrl = registryServer.Url.ToString().TrimEnd('/');

var sourceConnection = await CreateDatabaseAsync("bench_source");
await ExecuteAsync(sourceConnection, $"""
    CREATE TABLE orders (
        id bigint PRIMARY KEY, customer_id integer NOT NULL, status text NOT NULL, amount numeric(12,2), quantity integer,
        created_at timestamptz NOT NULL, updated_at timestamptz, note text, active boolean, score double precision);
    INSERT INTO orders SELECT i, i % 5000, (ARRAY['new','paid','shipped','cancelled'])[1 + i % 4], (i % 100000) / 100.0, i % 17,
        '2024-01-01'::timestamptz + i * interval '1 second', NULL, 'order note number ' || i, i % 2 = 0, i / 7.0
    FROM generate_series(1, {records}) i;
    """);
var table = await DescribeAsync(sourceConnection);
var stopwatch = Stopwatch.StartNew();
var upsertTopic = "bench_upsert";
var insertTopic = "bench_insert";
var topics = 0;
if (scenarios.Any(s => s.StartsWith("upsert:", StringComparison.Ordinal)))
{
    await ProduceAsync(upsertTopic, upsert: true);
    topics++;
}
if (scenarios.Any(s => !s.StartsWith("upsert:", StringComparison.Ordinal)))
{
    await ProduceAsync(insertTopic, upsert: false);
    topics++;
}
Console.WriteLine($"produced {topics * records:N0} records in {stopwatch.Elapsed.TotalSeconds:0.0} s");
Console.WriteLine();
Console.WriteLine("| mode | tasks.max | records | seconds | records/s | peak RSS (MB) | CPU s: sink / PostgreSQL / Kafka+registry | batches |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");

var results = new List<(string Scenario, string Sink, double Rate, double Cpu)>();
// Round by round, every scenario with every sink, the sinks' order reversed every other round.
var runs = Enumerable.Range(0, rounds).SelectMany(round => scenarios.SelectMany(scenario =>
    (round % 2 == 0 ? sinks : Enumerable.Reverse(sinks)).Select(sink => (Round: round, Scenario: scenario, Sink: sink))));
foreach (var (round, scenario, (sinkName, sinkDll)) in runs)
{
    var mode = scenario.Split(':')[0];
    var tasks = int.Parse(scenario.Split(':')[1], CultureInfo.InvariantCulture);
    if (mode == "read")
    {
        ReadOnly(insertTopic);
        continue;
    }
    var topic = mode == "upsert" ? upsertTopic : insertTopic;
    var database = $"bench_{mode}_{tasks}_{Guid.NewGuid():N}"[..40];
    var destination = await CreateDatabaseAsync(database);
    var port = LocalPorts.Free();
    var group = $"bench-{mode}-{tasks}-{Guid.NewGuid():N}";
    var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
    var config = new Dictionary<string, string>
    {
        ["name"] = $"bench-{mode}-{tasks}",
        ["topics"] = topic,
        ["group.id"] = group,
        ["insert.mode"] = mode,
        ["tasks.max"] = tasks.ToString(CultureInfo.InvariantCulture),
        ["connection.hostname"] = builder.Host!,
        ["connection.port"] = builder.Port.ToString(CultureInfo.InvariantCulture),
        ["connection.username"] = builder.Username!,
        ["connection.password"] = builder.Password!,
        ["connection.database"] = database,
        ["connection.sslmode"] = "disable",
        ["kafka.bootstrap.servers"] = kafka.BootstrapServers,
        ["schema.registry.url"] = registryUrl,
        ["rest.port"] = port.ToString(CultureInfo.InvariantCulture),
        ["log.level"] = "warning",
        // The mock cluster waits up to the session timeout for members to rejoin after the second task joins.
        ["kafka.session.timeout.ms"] = "6000",
    };
    var configPath = Path.Combine(Path.GetTempPath(), $"sinkbench-{Guid.NewGuid():N}.json");
    await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config));
    var start = new ProcessStartInfo(ChildProcesses.DotnetHost()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in new[] { sinkDll, "--config", configPath }) start.ArgumentList.Add(argument);
    foreach (var variable in sinkEnvironment.Select(v => v.Split('=', 2))) start.Environment[variable[0]] = variable[1];
    using var sink = Process.Start(start)!;
    var output = new System.Text.StringBuilder();
    sink.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
    sink.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
    sink.BeginOutputReadLine();
    sink.BeginErrorReadLine();

    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
    // From the first assignment (when the first records can be read) to the end; a rebalance while the second task
    // joins counts, as it would in production.
    await UntilAsync(async () => await AssignedAsync(http) > 0, TimeSpan.FromSeconds(60), "the sink's assignment", sink, output);
    var assigned = Stopwatch.StartNew();
    var (sinkCpu, postgresCpu, benchCpu) = (CpuSeconds(sink.Id), PostgresCpuSeconds(), CpuSeconds(Environment.ProcessId));
    await UntilAsync(async () => await AppliedAsync(destination, group) >= records, TimeSpan.FromMinutes(10), "the offsets table to reach the end", sink, output);
    var seconds = assigned.Elapsed.TotalSeconds;
    var peakMb = PeakRssKilobytes(sink.Id) / 1024.0;
    var batches = MetricValue(await http.GetStringAsync("/metrics"), "kafkacdc_sink_batches_total");
    (sinkCpu, postgresCpu, benchCpu) = (CpuSeconds(sink.Id) - sinkCpu, PostgresCpuSeconds() - postgresCpu, CpuSeconds(Environment.ProcessId) - benchCpu);
    ChildProcesses.Signal(sink.Id, ChildProcesses.SigTerm);
    await sink.WaitForExitAsync();
    File.Delete(configPath);

    var rows = (long)(await ScalarAsync(destination, "SELECT count(*) FROM public.bench_upsert_or_insert".Replace("bench_upsert_or_insert", topic)))!;
    var expectedRows = mode == "upsert" ? records / 2 : records;
    if (rows != expectedRows || sink.ExitCode != 0) throw new InvalidOperationException($"{scenario}: {rows} rows (expected {expectedRows}), exit code {sink.ExitCode}\n{output}");
    results.Add((scenario, sinkName, records / seconds, sinkCpu));
    var label = sinks.Count > 1 || rounds > 1 ? $"{mode} ({sinkName}, round {round + 1})" : mode;
    Console.WriteLine($"| {label} | {tasks} | {records:N0} | {seconds:0.00} | {records / seconds:N0} | {peakMb:0} | {sinkCpu:0.0} / {postgresCpu:0.0} / {benchCpu:0.0} | {batches} |");
    await ExecuteAsync(postgres.ConnectionString, $"DROP DATABASE {database} WITH (FORCE)");
}
if (results.Count > scenarios.Length)
{
    Console.WriteLine();
    Console.WriteLine("| scenario | sink | runs | records/s: median (all, in round order) | sink CPU s: median (all) |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var run in results.GroupBy(r => (r.Scenario, r.Sink)))
    {
        Console.WriteLine($"| {run.Key.Scenario} | {run.Key.Sink} | {run.Count()} | {Median(run.Select(r => r.Rate)):N0} " +
            $"({string.Join(", ", run.Select(r => r.Rate.ToString("N0", CultureInfo.InvariantCulture)))}) | {Median(run.Select(r => r.Cpu)):0.00} " +
            $"({string.Join(", ", run.Select(r => r.Cpu.ToString("0.0", CultureInfo.InvariantCulture)))}) |");
    }
}
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static (string Name, string Dll) ParseSink(string argument)
{
    var parts = argument.Split('=', 2);
    if (parts.Length != 2 || parts[0].Length == 0 || !File.Exists(parts[1]))
        throw new ArgumentException($"--sink {argument}: expected NAME=PATH of an existing KafkaCdc.SinkConnector.dll");
    return (parts[0], Path.GetFullPath(parts[1]));
}

// A sample's value in Prometheus text format: "name 41", or "name{labels} 41 timestamp" as OpenTelemetry writes it.
static string MetricValue(string exposition, string name)
{
    var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is ' ' or '{')
        ?? throw new InvalidOperationException($"/metrics has no sample of {name}:\n{exposition}");
    var afterLabels = line[name.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
    return afterLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
}

async Task ProduceAsync(string topic, bool upsert)
{
    kafka.CreateTopic(topic, Partitions);
    using var registry = SchemaRegistryClientOptions.ForUrl(registryUrl).CreateClient();
    var serializer = new AvroSerializer(registry);
    await serializer.RegisterAsync(topic, true, table.Key!, CancellationToken.None);
    await serializer.RegisterAsync(topic, false, table.Envelope, CancellationToken.None);
    using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = kafka.BootstrapServers,
        LingerMs = 20,
        BatchSize = 1_000_000,
        QueueBufferingMaxMessages = 1_000_000,
    }).Build();
    var failed = 0;
    void Produce(GenericRecord row, string op, long lsn)
    {
        var now = 1_714_000_000_000L + lsn;
        var source = AvroSchemas.NewRecord(ChangeEventSchemas.Source,
            "0.1.0", "postgresql", "bench", now, "false", "bench_source", null, now * 1000, "public", "orders", lsn, lsn, null,
            // As the source writes streamed records: the sink reads the position and keeps the highest per partition.
            lsn * 64, 0L, 1L);
        var envelope = AvroSchemas.NewRecord(table.Envelope, null, row, source, op, now, now * 1000, null);
        var message = new Message<byte[], byte[]>
        {
            Key = serializer.Serialize(topic, true, table.Key!, table.KeyOf(row)),
            Value = serializer.Serialize(topic, false, table.Envelope, envelope),
        };
        while (true)
        {
            try
            {
                producer.Produce(topic, message, report => { if (report.Error.IsError) Interlocked.Increment(ref failed); });
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    var keys = upsert ? records / 2 : records;
    var lsn = 0L;
    var updates = new List<GenericRecord>(upsert ? keys : 0);
    await foreach (var row in RowsAsync(sourceConnection, keys))
    {
        Produce(row, "c", ++lsn);
        if (upsert) updates.Add(row);
    }
    var quantity = table.Value["quantity"].Pos;
    foreach (var row in updates)
    {
        var values = Enumerable.Range(0, table.Value.Count).Select(row.GetValue).ToArray();
        values[quantity] = (int)(values[quantity] ?? 0) + 1;
        Produce(AvroSchemas.NewRecord(table.Value, values), "u", ++lsn);
    }
    producer.Flush(TimeSpan.FromMinutes(5));
    if (failed > 0) throw new InvalidOperationException($"{failed} records could not be produced to {topic}");
    using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "watermarks" }).Build();
    var kept = Enumerable.Range(0, Partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)))
        .Sum(w => w.High.Value - w.Low.Value);
    if (kept != 2L * keys - (upsert ? 0 : keys))
        throw new InvalidOperationException($"{topic} keeps {kept} records of {(upsert ? 2 * keys : keys)}: the mock cluster dropped the oldest");
}

// What the broker hands one plain consumer configured exactly as a sink task's (no decoding, no database): the ceiling for one task.
void ReadOnly(string topic)
{
    var options = SinkOptions.Read(new ConfigReader(RawConfig.FromPairs(new Dictionary<string, string>
    {
        ["name"] = "bench-read",
        ["topics"] = topic,
        ["group.id"] = $"bench-read-{Guid.NewGuid():N}",
        ["connection.hostname"] = "unused",
        ["connection.username"] = "unused",
        ["connection.password"] = "unused",
        ["connection.database"] = "unused",
        ["kafka.bootstrap.servers"] = kafka.BootstrapServers,
        ["schema.registry.url"] = registryUrl,
    })));
    using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(TaskConsumerConfig.For(options, taskId: 0)).Build();
    consumer.Subscribe(topic);
    var cpu = CpuSeconds(Environment.ProcessId);
    Stopwatch? clock = null;
    long read = 0, bytes = 0;
    while (read < records)
    {
        if (consumer.Consume(TimeSpan.FromSeconds(30)) is not { } result) throw new InvalidOperationException($"read: no record after {read}");
        clock ??= Stopwatch.StartNew();
        read++;
        bytes += result.Message.Value?.Length ?? 0;
    }
    var seconds = clock!.Elapsed.TotalSeconds;
    Console.WriteLine($"| read (plain consumer, {bytes / read} B/record) | 1 | {read:N0} | {seconds:0.00} | {read / seconds:N0} | | {CpuSeconds(Environment.ProcessId) - cpu:0.0} (this process: consumer and broker) | |");
    consumer.Close();
}

async IAsyncEnumerable<GenericRecord> RowsAsync(string connectionString, int count)
{
    await using var connection = new NpgsqlConnection(PgSessionSettings.Pin(connectionString));
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"SELECT * FROM orders WHERE id <= {count} ORDER BY id", connection) { AllResultTypesAreUnknown = true };
    await using var reader = await command.ExecuteReaderAsync();
    var texts = new string?[reader.FieldCount];
    while (await reader.ReadAsync())
    {
        for (var i = 0; i < texts.Length; i++) texts[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
        yield return table.DecodeValue(texts);
    }
}

async Task<PgTableSchema> DescribeAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(PgSessionSettings.Pin(connectionString));
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("SELECT 'orders'::regclass::oid", connection);
    var columns = await new PgTypeCatalog().DescribeRelationAsync(connection, (uint)(await command.ExecuteScalarAsync())!, CancellationToken.None);
    return PgTableSchema.Build("bench_source", "public", "orders", columns);
}

async Task<string> CreateDatabaseAsync(string name)
{
    await ExecuteAsync(postgres.ConnectionString, $"CREATE DATABASE {name}");
    return new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name }.ConnectionString;
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

static async Task<object?> ScalarAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return await command.ExecuteScalarAsync();
}

static async Task<long> AppliedAsync(string connectionString, string group)
{
    try
    {
        return (long)((await ScalarAsync(connectionString, $"SELECT coalesce(sum(next_offset), 0)::bigint FROM public.kafkacdc_sink_offsets WHERE group_id = '{group}'")) ?? 0L);
    }
    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
    {
        return 0;
    }
}

// The partitions the sink's tasks hold.
static async Task<int> AssignedAsync(HttpClient http)
{
    try
    {
        using var status = JsonDocument.Parse(await http.GetStringAsync("/status"));
        return status.RootElement.GetProperty("tasks").EnumerateArray().Sum(t => t.GetProperty("partitions").GetArrayLength());
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        return 0;
    }
}

static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Process sink, System.Text.StringBuilder output)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition())
    {
        if (sink.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException($"no {what} (sink exited: {sink.HasExited})\n{output}");
        await Task.Delay(20);
    }
}

static long PeakRssKilobytes(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

// utime + stime of a process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s).
static double CpuSeconds(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException)
    {
        return 0;
    }
}

// The server's CPU: the postmaster's own and its reaped children's (cutime, cstime), plus its live children's.
static double PostgresCpuSeconds()
{
    var processes = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
        .Select(n => int.Parse(n!, CultureInfo.InvariantCulture))
        .Select(pid => (Pid: pid, Fields: StatFields(pid))).Where(p => p.Fields is not null && p.Fields.Value.Name == "postgres").ToList();
    var pids = processes.Select(p => p.Pid).ToHashSet();
    var total = 0.0;
    foreach (var (_, fields) in processes)
    {
        var (_, parent, values) = fields!.Value;
        total += (values[11] + values[12]) / 100.0;
        if (!pids.Contains(parent)) total += (values[13] + values[14]) / 100.0;
    }
    return total;
}

static (string Name, int Parent, long[] Values)? StatFields(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (name, int.Parse(fields[1], CultureInfo.InvariantCulture), [.. fields.Take(16).Select(f => long.TryParse(f, out var v) ? v : 0)]);
    }
    catch (IOException)
    {
        return null;
    }
}


