using System.Diagnostics;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.Tests.Deploy;

/// <summary>
/// The configuration files the repository ships (examples for the dev stack, the compose stack's) are read by the
/// connectors' real options classes without a single problem, and the compose file is valid.
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
        var start = new ProcessStartInfo("docker-compose", ["-f", Repository.File("deploy/compose/docker-compose.yml"), "config", "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("docker-compose could not be started (scripts/bootstrap.sh installs it)");
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(process.ExitCode, Is.Zero, await error);
    }
}
