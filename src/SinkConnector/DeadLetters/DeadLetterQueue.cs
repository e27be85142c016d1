using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.DeadLetters;

/// <summary>
/// Where records that can never be written go with <c>errors.tolerance=all</c>: the dead-letter topic
/// (<c>errors.deadletterqueue.topic.name</c>), as received (key, value and headers) plus Kafka Connect's error headers
/// (<c>__connect.errors.topic</c>, <c>.partition</c>, <c>.offset</c>, <c>.exception.class.name</c>,
/// <c>.exception.message</c>, <c>.exception.stacktrace</c>, ...). Without a topic (allowed, as in Kafka Connect) the
/// record is only logged and counted. Shared by the tasks; thread-safe.
/// </summary>
/// <remarks>
/// Failure path: <see cref="SendAsync"/> returns once every record is acknowledged by the brokers; it is awaited before
/// the batch's transaction commits, so a record is never skipped without being dead-lettered. A failed delivery throws
/// (a <see cref="ProduceException{TKey,TValue}"/>, transient unless fatal), the batch rolls back and is retried.
/// </remarks>
public sealed class DeadLetterQueue : IDisposable
{
    readonly string? _topic;
    readonly IProducer<byte[]?, byte[]?>? _producer;
    readonly string _connectorName;
    readonly ILogger _logger;
    readonly SinkMetrics _metrics;

    /// <summary>Creates the queue; <paramref name="producer"/> is required when <paramref name="topic"/> is set, and owned.</summary>
    public DeadLetterQueue(string? topic, IProducer<byte[]?, byte[]?>? producer, string connectorName, ILogger logger, SinkMetrics metrics)
    {
        if (topic is not null && producer is null) throw new ArgumentNullException(nameof(producer), "a dead-letter topic needs a producer");
        _topic = topic;
        _producer = producer;
        _connectorName = connectorName;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Sends every failure to the dead-letter topic and waits for the acknowledgements (or logs them without a topic).</summary>
    public async Task SendAsync(IReadOnlyList<RecordFailure> failures, int taskId, CancellationToken cancellationToken)
    {
        var deliveries = new List<Task>(failures.Count);
        foreach (var failure in failures)
        {
            var record = failure.Record;
            if (_topic is null)
            {
                Log.RecordTolerated(_logger, record.Topic, record.Partition, record.Offset, failure.Exception);
            }
            else
            {
                Log.RecordDeadLettered(_logger, record.Topic, record.Partition, record.Offset, _topic, failure.Exception.Message);
                deliveries.Add(_producer!.ProduceAsync(_topic, Message(failure, taskId), cancellationToken));
            }
        }
        await Task.WhenAll(deliveries);
        foreach (var failure in failures) _metrics.DeadLettered(failure.Record.Topic);
    }

    Message<byte[]?, byte[]?> Message(RecordFailure failure, int taskId)
    {
        var record = failure.Record;
        var headers = new Headers();
        if (record.Headers is not null)
        {
            foreach (var header in record.Headers) headers.Add(header.Key, header.GetValueBytes());
        }
        var exception = failure.Exception;
        Add(headers, "__connect.errors.topic", record.Topic);
        Add(headers, "__connect.errors.partition", record.Partition.ToString(CultureInfo.InvariantCulture));
        Add(headers, "__connect.errors.offset", record.Offset.ToString(CultureInfo.InvariantCulture));
        Add(headers, "__connect.errors.connector.name", _connectorName);
        Add(headers, "__connect.errors.task.id", taskId.ToString(CultureInfo.InvariantCulture));
        Add(headers, "__connect.errors.stage", record.Action == RecordAction.Failed ? "VALUE_CONVERTER" : "TASK_PUT");
        Add(headers, "__connect.errors.exception.class.name", exception.GetType().FullName ?? exception.GetType().Name);
        Add(headers, "__connect.errors.exception.message", exception.Message);
        Add(headers, "__connect.errors.exception.stacktrace", exception.ToString());
        return new Message<byte[]?, byte[]?> { Key = record.RawKey, Value = record.RawValue, Headers = headers };
    }

    static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Flushes and disposes the producer.</summary>
    public void Dispose()
    {
        if (_producer is null) return;
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
