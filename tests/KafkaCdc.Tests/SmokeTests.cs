using Confluent.Kafka;

namespace KafkaCdc.Tests;

public class SmokeTests
{
    [Test]
    public void NativeLibrdkafka_Loads()
    {
        Assert.That(Library.Version, Is.GreaterThan(0x02000000), Library.VersionString);
    }
}
