using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests.Shared.Kafka;

public class KafkaClientLoggingTests
{
    [TestCase(SyslogLevel.Emergency, LogLevel.Critical)]
    [TestCase(SyslogLevel.Alert, LogLevel.Critical)]
    [TestCase(SyslogLevel.Critical, LogLevel.Critical)]
    [TestCase(SyslogLevel.Error, LogLevel.Error)]
    [TestCase(SyslogLevel.Warning, LogLevel.Warning)]
    [TestCase(SyslogLevel.Notice, LogLevel.Information)]
    [TestCase(SyslogLevel.Info, LogLevel.Information)]
    [TestCase(SyslogLevel.Debug, LogLevel.Debug)]
    public void ToLogLevel_SyslogLevel_Mapped(SyslogLevel syslogLevel, LogLevel expected)
    {
        Assert.That(KafkaClientLogging.ToLogLevel(syslogLevel), Is.EqualTo(expected));
    }

    [Test]
    public async Task SetLogger_BrokerUnreachable_ErrorLoggedAsNonFatalWarningAndLogLinesRouted()
    {
        var logger = new RecordingLogger();
        var config = new ProducerConfig
        {
            BootstrapServers = "127.0.0.1:1", // nothing listens on port 1
            Debug = "broker",
            ReconnectBackoffMs = 50,
        };
        using var producer = new ProducerBuilder<Null, string>(config).SetLogger(logger).Build();

        await Poll.UntilAsync(() => logger.Entries.Any(e => e.EventId == 1001) && logger.Entries.Any(e => e.EventId == 1000),
            TimeSpan.FromSeconds(20), "a librdkafka error callback and a log line");

        var error = logger.Entries.First(e => e.EventId == 1001);
        Assert.That(error.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(error.Properties, Does.Contain(new KeyValuePair<string, object?>("IsFatal", false)));
        Assert.That(error.Message, Does.Contain(producer.Name));
        Assert.That(logger.Entries.Where(e => e.EventId == 1000).Select(e => e.Level), Does.Contain(LogLevel.Debug));
    }
}
