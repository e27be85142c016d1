using System.Diagnostics;
using Confluent.Kafka;
using KafkaCdc.DevStack;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Tests.Shared.Kafka;

public class LibrdkafkaLibraryTests
{
    static readonly string[] s_directories = ["/app", "/packages/confluent.kafka/lib/net8.0"];

    [Test]
    public void Candidates_Glibc_PackagedLibrdkafkaFirstThenCentos8InEachDirectory()
    {
        var candidates = LibrdkafkaLibrary.Candidates(null, s_directories, isMusl: false);

        var x64 = candidates.Where(c => c.Contains("/linux-x64/", StringComparison.Ordinal)).ToList();
        Assert.That(x64, Is.EqualTo(new[]
        {
            "/app/runtimes/linux-x64/native/librdkafka.so",
            "/app/runtimes/linux-x64/native/centos8-librdkafka.so",
            "/packages/confluent.kafka/lib/net8.0/runtimes/linux-x64/native/librdkafka.so",
            "/packages/confluent.kafka/lib/net8.0/runtimes/linux-x64/native/centos8-librdkafka.so",
        }));
    }

    [Test]
    public void Candidates_Musl_AlpineVariantFirst()
    {
        var candidates = LibrdkafkaLibrary.Candidates(null, ["/app"], isMusl: true);

        Assert.That(Path.GetFileName(candidates[0]), Is.EqualTo("alpine-librdkafka.so"));
        Assert.That(candidates.Select(Path.GetFileName).Distinct(), Is.EqualTo(new[] { "alpine-librdkafka.so", "librdkafka.so", "centos8-librdkafka.so" }));
    }

    [Test]
    public void Candidates_OverrideSet_OnlyThatFile()
    {
        Assert.That(LibrdkafkaLibrary.Candidates("/usr/lib/x86_64-linux-gnu/librdkafka.so.1", s_directories, isMusl: false),
            Is.EqualTo(new[] { "/usr/lib/x86_64-linux-gnu/librdkafka.so.1" }));
    }

    [TestCase("librdkafka.so", true)]
    [TestCase("librdkafka.so.1", true)]
    [TestCase("centos8-librdkafka.so", true)]
    [TestCase("alpine-librdkafka.so", true)]
    [TestCase("librdkafkacpp.so", false)]
    [TestCase("libsasl2.so.2", false)]
    public void IsLibrdkafkaFile_VariantNames(string fileName, bool expected) =>
        Assert.That(LibrdkafkaLibrary.IsLibrdkafkaFile(fileName), Is.EqualTo(expected));

    [Test]
    public void Load_InThisProcess_ConfluentKafkaAndOwnBindingsShareOneMappedFile()
    {
        var path = LibrdkafkaLibrary.Load();
        Assert.That(Library.Version, Is.GreaterThanOrEqualTo(0x02100000), Library.VersionString);

        var mapped = LibrdkafkaLibrary.MappedLibrdkafkaPaths().ToList();

        Assert.That(mapped, Is.EqualTo(new[] { path }), "librdkafka files mapped into the process");
    }

    [Test]
    public async Task Load_OverrideIsNoLibrary_ProgramExitsNamingThePathAndTheLoadersReason()
    {
        var notALibrary = Path.Combine(Path.GetTempPath(), $"kafkacdc-not-a-library-{Guid.NewGuid():N}.so");
        await File.WriteAllTextAsync(notALibrary, new string('x', 4096)); // long enough for the loader to read a header
        try
        {
            var (exitCode, output) = await RunDevStackAsync(["--probe"], new() { [LibrdkafkaLibrary.PathVariable] = notALibrary });

            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain($"{notALibrary}: ").And.Contain("invalid ELF header").And.Contain(LibrdkafkaLibrary.PathVariable));
        }
        finally
        {
            File.Delete(notALibrary);
        }
    }

    [Test]
    public async Task Load_OverrideMissing_ProgramSaysNoSuchFile()
    {
        var missing = $"/nonexistent/{Guid.NewGuid():N}/librdkafka.so.1";

        var (exitCode, output) = await RunDevStackAsync(["--brokers", "1"], new() { [LibrdkafkaLibrary.PathVariable] = missing });

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"{missing}: no such file"));
    }

    [Test]
    public async Task Probe_PackagedLibrary_RoundTripsARecordAndNamesTheFile()
    {
        var (exitCode, output) = await RunDevStackAsync(["--probe"], []);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("a record round-tripped").And.Contain(Path.GetFileName(LibrdkafkaLibrary.Load())));
    }

    static async Task<(int ExitCode, string Output)> RunDevStackAsync(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(ChildProcesses.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KafkaCdc.DevStack.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"KafkaCdc.DevStack {string.Join(' ', arguments)} did not exit within 60 s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
