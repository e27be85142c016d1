using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// Routes librdkafka's log and error callbacks of a Confluent.Kafka client into an <see cref="ILogger"/>.
/// </summary>
/// <remarks>
/// Levels: syslog Emergency/Alert/Critical → Critical, Error → Error, Warning → Warning, Notice/Info →
/// Information, Debug → Debug (librdkafka only emits debug lines for the contexts listed in its
/// <c>debug</c> property). Error callbacks report conditions librdkafka recovers from by itself (a broker
/// down, a timed-out request) at Warning, and fatal errors (<see cref="Error.IsFatal"/>: the client is
/// unusable, e.g. an idempotent producer that lost its guarantee) at Critical, after which the optional
/// <c>onFatalError</c> callback runs so the owner can stop. The callbacks run on librdkafka's threads (for
/// consumers, inside <c>Consume</c>): keep <c>onFatalError</c> short and non-blocking.
/// </remarks>
public static class KafkaClientLogging
{
    /// <summary>Routes the producer's librdkafka logs and errors to <paramref name="logger"/>.</summary>
    public static ProducerBuilder<TKey, TValue> SetLogger<TKey, TValue>(
        this ProducerBuilder<TKey, TValue> builder, ILogger logger, Action<Error>? onFatalError = null) =>
        builder
            .SetLogHandler((_, message) => LogMessage(logger, message))
            .SetErrorHandler((client, error) => LogError(logger, client.Name, error, onFatalError));

    /// <summary>Routes the consumer's librdkafka logs and errors to <paramref name="logger"/>.</summary>
    public static ConsumerBuilder<TKey, TValue> SetLogger<TKey, TValue>(
        this ConsumerBuilder<TKey, TValue> builder, ILogger logger, Action<Error>? onFatalError = null) =>
        builder
            .SetLogHandler((_, message) => LogMessage(logger, message))
            .SetErrorHandler((client, error) => LogError(logger, client.Name, error, onFatalError));

    /// <summary>Routes the admin client's librdkafka logs and errors to <paramref name="logger"/>.</summary>
    public static AdminClientBuilder SetLogger(
        this AdminClientBuilder builder, ILogger logger, Action<Error>? onFatalError = null) =>
        builder
            .SetLogHandler((_, message) => LogMessage(logger, message))
            .SetErrorHandler((client, error) => LogError(logger, client.Name, error, onFatalError));

    /// <summary>The <see cref="LogLevel"/> a librdkafka (syslog) level is logged at.</summary>
    public static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    static void LogMessage(ILogger logger, LogMessage message) =>
        Log.LibrdkafkaLog(logger, ToLogLevel(message.Level), message.Name, message.Facility, message.Message);

    static void LogError(ILogger logger, string clientName, Error error, Action<Error>? onFatalError)
    {
        Log.LibrdkafkaError(logger, error.IsFatal ? LogLevel.Critical : LogLevel.Warning,
            clientName, error.Code, error.Reason, error.IsFatal);
        if (error.IsFatal) onFatalError?.Invoke(error);
    }
}
