using System.Diagnostics;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;

namespace KafkaCdc.Tests;

/// <summary>Finding a Docker engine as Testcontainers does, quickly, with a reason when there is none.</summary>
public class DockerEngineTests
{
    [Test]
    public async Task ProbeAsync_ThisMachine_AnswersWithinTheTimeLimitSayingWhereOrWhyNot()
    {
        var clock = Stopwatch.StartNew();

        var engine = await DockerEngine.ProbeAsync(DockerEngine.DefaultTimeout, CancellationToken.None);

        clock.Stop();
        Assert.That(clock.Elapsed, Is.LessThan(DockerEngine.DefaultTimeout + TimeSpan.FromSeconds(1)));
        Assert.That(engine.Description, engine.Reachable
            ? Does.Match("^Docker at [a-z]+://")
            : Does.StartWith("no Docker engine").And.Match("(unix|tcp|npipe|https?)://|within"));
    }

    [Test]
    public async Task ProbeAsync_DetectionHangs_GivesUpAtTheTimeLimit()
    {
        using var release = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();

        try
        {
            var engine = await DockerEngine.ProbeAsync(() =>
            {
                release.Wait(TimeSpan.FromMinutes(1));
                return new DockerEngine(true, "too late");
            }, TimeSpan.FromMilliseconds(300), CancellationToken.None);

            Assert.That(engine.Reachable, Is.False);
            Assert.That(engine.Description, Does.StartWith("no Docker engine answered within 0.3s"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    public void DescribeFailure_MissingUnixSocket_SaysSoPlainly()
    {
        var path = $"/nonexistent/{Guid.NewGuid():N}/docker.sock";
        var failure = new DockerUnavailableException($"Failed to connect to Docker endpoint at 'unix://{path}'.",
            new HttpRequestException("Cannot assign requested address", new SocketException((int)SocketError.AddressNotAvailable)));

        Assert.That(DockerEngine.DescribeFailure(failure), Is.EqualTo($"Failed to connect to Docker endpoint at 'unix://{path}' (no such socket)"));
    }

    [Test]
    public void DescribeFailure_TcpEndpoint_KeepsTheInnermostReason()
    {
        var failure = new DockerUnavailableException("Failed to connect to Docker endpoint at 'tcp://127.0.0.1:1/'.",
            new HttpRequestException("request failed", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.That(DockerEngine.DescribeFailure(failure),
            Does.StartWith("Failed to connect to Docker endpoint at 'tcp://127.0.0.1:1/' (").And.Contains("refused"));
    }
}
