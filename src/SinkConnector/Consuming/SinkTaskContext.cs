using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>What the tasks of one process share: thread-safe services created once by <see cref="SinkWorker"/>.</summary>
/// <param name="Options">The settings.</param>
/// <param name="DataSource">Connections to the destination (session settings pinned).</param>
/// <param name="Deserializer">The Avro deserializer with its schema cache.</param>
/// <param name="DeadLetters">The dead-letter queue.</param>
/// <param name="Metrics">The metrics.</param>
/// <param name="Status">The status the tasks report into.</param>
/// <param name="LoggerFactory">Loggers.</param>
public sealed record SinkTaskContext(
    SinkOptions Options,
    NpgsqlDataSource DataSource,
    AvroDeserializer Deserializer,
    DeadLetterQueue DeadLetters,
    SinkMetrics Metrics,
    SinkStatus Status,
    ILoggerFactory LoggerFactory);
