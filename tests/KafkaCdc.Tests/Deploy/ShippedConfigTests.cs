using System.Diagnostics;
using System.Text.Json;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.Tests.Deploy;

/// <summary>
/// The configuration files the repository ships (examples for the dev stack, the compose stack's) are read by the
/// connectors' real options classes without a single problem, and the compose file is valid: it has the kcat service,
/// two sink replicas that do not clash, the source init script that creates the signal and heartbeat tables the source
/// uses, and only <c>KCDC_*</c> variables that name keys the connectors read.
/// </summary>
public class ShippedConfigTests
{
    // What the files reference: the compose stack's passwords, the dev stack's env file (the examples).
    static readonly Dictionary<string, string> s_secrets = new()
    {
        ["KAFKACDC_SOURCE_PASSWORD"] = "source-secret",
        ["KAFKACDC_SINK_PASSWORD"] = "sink-secret",
        ["SINK_PASSWORD"] = "sink-secret",
        ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092",
        ["SCHEMA_REGISTRY_URL"] = "http://127.0.0.1:8081",
        ["PGHOST"] = "127.0.0.1",
        ["PGPORT"] = "5432",
        ["PGUSER"] = "postgres",
        ["PGPASSWORD"] = "postgres",
        ["PGDATABASE"] = "postgres",
    };

    [TestCase("deploy/source.example.json")]
    [TestCase("deploy/compose/source.json")]
    public void SourceConfig_ReadsWithoutProblems(string path)
    {
        var reader = new ConfigReader(RawConfig.Load(Repository.File(path)), s_secrets);

        var options = SourceOptions.Read(reader);

        Assert.DoesNotThrow(reader.ThrowIfProblems);
        Assert.That(options.Name, Is.Not.Empty);
    }

    [TestCase("deploy/sink.example.json")]
    [TestCase("deploy/compose/sink.json")]
    public void SinkConfig_ReadsWithoutProblems(string path)
    {
        var reader = new ConfigReader(RawConfig.Load(Repository.File(path)), s_secrets);

        var options = SinkOptions.Read(reader);

        Assert.DoesNotThrow(reader.ThrowIfProblems);
        Assert.That(options.Name, Is.Not.Empty);
    }

    [Test]
    public async Task ComposeFile_IsValid()
    {
        var (exitCode, _, error) = await ComposeAsync("config", "--quiet");

        Assert.That(exitCode, Is.Zero, error);
    }

    [Test]
    public async Task ComposeFile_HasKcatWithAvroAndTwoSinkReplicasOnSeparateHostPorts()
    {
        var services = (await ComposeConfigAsync()).GetProperty("services");

        var kcat = services.GetProperty("kcat");
        Assert.That(kcat.GetProperty("image").GetString(), Does.StartWith("confluentinc/cp-kcat:"), "Confluent's kcat image is built with Avro (-s value=avro)");
        Assert.That(kcat.GetProperty("entrypoint").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "sleep", "infinity" }));
        var sink = services.GetProperty("sink-connector");
        Assert.That(sink.GetProperty("deploy").GetProperty("replicas").GetInt32(), Is.EqualTo(2));
        Assert.That(sink.TryGetProperty("container_name", out _), Is.False, "a fixed container name allows one replica only");
        var published = sink.GetProperty("ports").EnumerateArray().Single().GetProperty("published").ToString();
        Assert.That(published, Does.Match(@"^\d+-\d+$"), "one fixed host port cannot serve two replicas: a range, one port each");
        var range = published.Split('-').Select(int.Parse).ToArray();
        Assert.That(range[1] - range[0] + 1, Is.GreaterThanOrEqualTo(2));
    }

    [TestCase("source-connector")]
    [TestCase("sink-connector")]
    public async Task ComposeEnvironment_EveryKcdcVariableIsAKeyTheConnectorReads(string service)
    {
        var environment = (await ComposeConfigAsync()).GetProperty("services").GetProperty(service).GetProperty("environment")
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        var reader = new ConfigReader(RawConfig.Load(Repository.File(service == "source-connector" ? "deploy/compose/source.json" : "deploy/compose/sink.json")),
            s_secrets.Concat(environment).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        if (service == "source-connector") SourceOptions.Read(reader);
        else SinkOptions.Read(reader);
        var accepted = reader.Effective.Keys.Select(ConfigReader.EnvironmentName).ToHashSet(StringComparer.Ordinal);

        var settings = environment.Keys.Where(k => k.StartsWith("KCDC_", StringComparison.Ordinal)).ToList();

        Assert.DoesNotThrow(reader.ThrowIfProblems);
        Assert.That(settings, Is.Not.Empty, "the compose file sets no KCDC_* variable: this test would check nothing");
        Assert.That(settings.Where(k => !accepted.Contains(k) && !k.StartsWith("KCDC_KAFKA_", StringComparison.Ordinal)), Is.Empty,
            $"KCDC_* variables of {service} that name no key the connector reads (the connector would ignore them)");
    }

    [Test]
    public void ComposeSourceInit_CreatesTheSignalAndHeartbeatTablesTheSourceUses()
    {
        var options = SourceOptions.Read(new ConfigReader(RawConfig.Load(Repository.File("deploy/compose/source.json")), s_secrets));
        var init = File.ReadAllText(Repository.File("deploy/compose/initdb-source/10-kafkacdc.sh"));
        var setup = File.ReadAllText(Repository.File("schemas/sql/source-setup.sql"));

        Assert.That(init, Does.Contain("-f /kafkacdc-sql/source-setup.sql"), "the init script runs the setup SQL");
        Assert.That(setup, Does.Contain($"CREATE TABLE {options.SignalTable} (").And.Contain($"CREATE TABLE {options.HeartbeatTable} ("));
        Assert.That(init, Does.Contain($"'{options.SignalTable}'::regclass").And.Contain($"'{options.HeartbeatTable}'::regclass"),
            "the init script checks the tables exist");
    }

    /// <summary><c>docker-compose config</c>'s resolved file, as JSON (through PyYAML, which docker-compose 1.x runs on).</summary>
    static async Task<JsonElement> ComposeConfigAsync()
    {
        var (exitCode, yaml, error) = await ComposeAsync("config");
        Assert.That(exitCode, Is.Zero, error);
        var start = new ProcessStartInfo("python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(yaml);
        process.StandardInput.Close();
        var json = process.StandardOutput.ReadToEndAsync();
        var problem = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(process.ExitCode, Is.Zero, await problem);
        return JsonDocument.Parse(await json).RootElement.Clone();
    }

    static async Task<(int ExitCode, string Output, string Error)> ComposeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", Repository.File("deploy/compose/docker-compose.yml"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("docker-compose could not be started (scripts/bootstrap.sh installs it)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }
}
