using System.Text.RegularExpressions;

namespace KafkaCdc.Tests;

/// <summary>The test containers run what the compose stack ships, so that a green run there speaks for the compose stack.</summary>
public class KafkaContainersTests
{
    static readonly string s_compose = File.ReadAllText(Repository.File("deploy/compose/docker-compose.yml"));

    [TestCase(KafkaContainers.KafkaImage)]
    [TestCase(KafkaContainers.SchemaRegistryImage)]
    public void Image_SameAsTheComposeStacks(string image)
    {
        var repository = image[..image.LastIndexOf(':')];

        var composed = Regex.Matches(s_compose, $@"^\s*image:\s*({Regex.Escape(repository)}:\S+)\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

        Assert.That(composed, Is.EqualTo(new[] { image }), "deploy/compose/docker-compose.yml and KafkaContainers pin the same tag");
    }

    [Test]
    public void DefaultPartitions_SameAsTheComposeStacksBroker()
    {
        var composed = Regex.Match(s_compose, @"^\s*KAFKA_NUM_PARTITIONS:\s*(\d+)\s*$", RegexOptions.Multiline);

        Assert.That(composed.Success, Is.True, "KAFKA_NUM_PARTITIONS in deploy/compose/docker-compose.yml");
        Assert.That(int.Parse(composed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(KafkaContainers.DefaultPartitions));
    }
}
