using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KafkaCdc.Tests;

/// <summary>How a test run picks its Kafka and registry (containers where Docker answers), and how fast it finds no Docker.</summary>
public class KafkaChoiceTests
{
    [TestCase(null, true, KafkaSource.Containers)]
    [TestCase(null, false, KafkaSource.DevStack)]
    [TestCase("auto", true, KafkaSource.Containers)]
    [TestCase(" AUTO ", false, KafkaSource.DevStack)]
    [TestCase("containers", true, KafkaSource.Containers)]
    [TestCase("devstack", true, KafkaSource.DevStack)]
    public void Decide_ModeAndDocker_PickTheSource(string? mode, bool docker, KafkaSource expected) =>
        Assert.That(KafkaChoice.Decide(null, mode, docker, "Docker at unix:///var/run/docker.sock").Source, Is.EqualTo(expected));

    [Test]
    public void Decide_ExternalKafka_WinsWhateverTheMode() =>
        Assert.That(KafkaChoice.Decide("broker:9092", "containers", false, "no Docker").Source, Is.EqualTo(KafkaSource.External));

    [Test]
    public void Decide_ContainersWithoutDocker_FailsNamingTheVariableAndWhy() =>
        Assert.That(() => KafkaChoice.Decide(null, "containers", false, "no Docker engine: /var/run/docker.sock does not exist"),
            Throws.InvalidOperationException.With.Message.Contains(KafkaChoice.Variable).And.Message.Contains("does not exist"));

    [Test]
    public void Decide_UnknownMode_ListsTheValidOnes() =>
        Assert.That(() => KafkaChoice.Decide(null, "kraft", true, "Docker"), Throws.InvalidOperationException.With.Message.Contains("auto, containers or devstack"));

    [Test]
    public void Decide_DevStackWithoutDocker_SaysWhyInTheRunsLine() =>
        Assert.That(KafkaChoice.Decide(null, null, false, "no Docker engine: /var/run/docker.sock does not exist").Why,
            Does.Contain("dev stack").And.Contain("/var/run/docker.sock does not exist"));

    [Test]
    public async Task ProbeDocker_SocketMissing_AnswersAtOnceNamingThePath()
    {
        var path = $"/nonexistent/{Guid.NewGuid():N}/docker.sock";

        var (reachable, where) = await KafkaContainers.ProbeDockerAsync($"unix://{path}", TimeSpan.FromSeconds(2));

        Assert.That(reachable, Is.False);
        Assert.That(where, Does.Contain(path));
    }

    [Test]
    public async Task ProbeDocker_NothingListening_GivesUpWithinTheTimeLimit()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var clock = Stopwatch.StartNew();

        var (reachable, where) = await KafkaContainers.ProbeDockerAsync($"tcp://127.0.0.1:{port}", TimeSpan.FromSeconds(2));

        Assert.That(reachable, Is.False);
        Assert.That(where, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }
}
