namespace KafkaCdc.Tests;

/// <summary>How a test run picks its Kafka and registry: containers where Docker answers, else the dev stack; variables override.</summary>
public class KafkaChoiceTests
{
    static readonly DockerEngine s_docker = new(true, "Docker at unix:///var/run/docker.sock");
    static readonly DockerEngine s_noDocker = new(false, "no Docker engine reachable: Failed to connect to Docker endpoint at 'unix:///var/run/docker.sock' (no such socket)");

    [TestCase(null, true, KafkaSource.Containers)]
    [TestCase(null, false, KafkaSource.DevStack)]
    [TestCase("", true, KafkaSource.Containers)]
    [TestCase("auto", true, KafkaSource.Containers)]
    [TestCase(" AUTO ", false, KafkaSource.DevStack)]
    [TestCase("containers", true, KafkaSource.Containers)]
    [TestCase("Containers", true, KafkaSource.Containers)]
    [TestCase("devstack", true, KafkaSource.DevStack)]
    [TestCase("devstack", false, KafkaSource.DevStack)]
    public async Task DecideAsync_ModeAndDocker_PickKafkaAndRegistryTogether(string? mode, bool docker, KafkaSource expected)
    {
        var choice = await KafkaChoice.DecideAsync(null, null, mode, () => Task.FromResult(docker ? s_docker : s_noDocker));

        Assert.That((choice.Kafka, choice.Registry), Is.EqualTo((expected, expected)));
    }

    [Test]
    public async Task DecideAsync_Auto_SaysWhichAndWhyInOneLine()
    {
        var containers = await KafkaChoice.DecideAsync(null, null, null, () => Task.FromResult(s_docker));
        var devStack = await KafkaChoice.DecideAsync(null, null, null, () => Task.FromResult(s_noDocker));

        Assert.That(containers.Line, Is.EqualTo("Kafka and schema registry: containers (Docker at unix:///var/run/docker.sock)"));
        Assert.That(devStack.Line, Is.EqualTo($"Kafka and schema registry: dev stack ({s_noDocker.Description})"));
    }

    [TestCase("devstack")]
    [TestCase("auto")]
    public async Task DecideAsync_DevStackOrExternalKafka_DoesNotAskDocker(string mode)
    {
        var asked = false;
        Task<DockerEngine> Probe()
        {
            asked = true;
            return Task.FromResult(s_docker);
        }

        var devStack = await KafkaChoice.DecideAsync(null, null, "devstack", Probe);
        var external = await KafkaChoice.DecideAsync("broker:9092", null, mode, Probe);

        Assert.That(asked, Is.False);
        Assert.That(devStack.Line, Is.EqualTo("Kafka and schema registry: dev stack (KCDC_TEST_KAFKA=devstack)"));
        Assert.That((external.Kafka, external.Registry), Is.EqualTo((KafkaSource.External, KafkaSource.DevStack)));
        Assert.That(external.Line, Does.StartWith("Kafka: external; schema registry: dev stack (KAFKA_BOOTSTRAP_SERVERS=broker:9092"));
    }

    [Test]
    public async Task DecideAsync_ExternalKafkaWithContainersAsked_ExternalWinsAndTheLineSaysSo()
    {
        var choice = await KafkaChoice.DecideAsync("broker:9092", "http://registry:8081", "containers", () => Task.FromResult(s_noDocker));

        Assert.That((choice.Kafka, choice.Registry), Is.EqualTo((KafkaSource.External, KafkaSource.External)));
        Assert.That(choice.Line, Is.EqualTo(
            "Kafka and schema registry: external (KAFKA_BOOTSTRAP_SERVERS=broker:9092, SCHEMA_REGISTRY_URL=http://registry:8081; KCDC_TEST_KAFKA=containers does not apply)"));
    }

    [Test]
    public async Task DecideAsync_ExternalRegistryOnly_KafkaStillFromContainers()
    {
        var choice = await KafkaChoice.DecideAsync(null, "http://registry:8081", null, () => Task.FromResult(s_docker));

        Assert.That((choice.Kafka, choice.Registry), Is.EqualTo((KafkaSource.Containers, KafkaSource.External)));
        Assert.That(choice.Line, Is.EqualTo("Kafka: containers; schema registry: external (Docker at unix:///var/run/docker.sock; SCHEMA_REGISTRY_URL=http://registry:8081)"));
    }

    [Test]
    public void DecideAsync_ContainersWithoutDocker_FailsAtOnceNamingTheVariableAndWhy()
    {
        Assert.That(() => KafkaChoice.DecideAsync(null, null, "containers", () => Task.FromResult(s_noDocker)),
            Throws.InvalidOperationException
                .With.Message.StartsWith("KCDC_TEST_KAFKA=containers, but no Docker engine reachable")
                .And.Message.Contains("(no such socket)")
                .And.Message.Contains("KCDC_TEST_KAFKA=auto or devstack"));
    }

    [Test]
    public void DecideAsync_UnknownMode_ListsTheValidOnesEvenWithExternalKafka()
    {
        Assert.That(() => KafkaChoice.DecideAsync("broker:9092", null, "kraft", () => Task.FromResult(s_docker)),
            Throws.InvalidOperationException.With.Message.EqualTo("KCDC_TEST_KAFKA is 'kraft'; use auto, containers or devstack"));
    }

    [Test]
    public void ThisRun_SaidWhichKafkaItUses()
    {
        var choice = TestEnvironment.Choice;

        Assert.That(choice.Kafka == KafkaSource.DevStack, Is.EqualTo(TestEnvironment.IsMockKafka), "the dev stack's Kafka is the mock cluster");
        Assert.That(choice.Line, Does.StartWith("Kafka"));
    }
}
