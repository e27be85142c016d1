using Confluent.Kafka;
using KafkaCdc.SinkConnector.Configuration;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>The configuration of a task's consumer: <c>kafka.*</c>, the connector's own keys, and the defaults the sink changes.</summary>
public static class TaskConsumerConfig
{
    /// <summary>
    /// The consumer configuration of task <paramref name="taskId"/>: <c>kafka.*</c> with the connector's own keys, and
    /// the defaults the sink changes (each only when <c>kafka.*</c> does not set it). Public for the benchmark, which
    /// times a plain consumer configured exactly like a task.
    /// </summary>
    public static ConsumerConfig For(SinkOptions options, int taskId)
    {
        var config = options.Kafka.CreateConsumerConfig(options.ConsumerOwnedProperties);
        var configured = options.Kafka.Properties;
        if (!configured.ContainsKey("client.id")) config.ClientId = $"kafkacdc-sink-{options.Name}-{taskId}";
        if (!configured.ContainsKey("auto.offset.reset")) config.AutoOffsetReset = AutoOffsetReset.Earliest;
        if (!configured.ContainsKey("queued.max.messages.kbytes")) config.QueuedMaxMessagesKbytes = 16 * 1024;
        // Once the prefetch queue is full, librdkafka postpones each partition's next fetch by this much (1 s by
        // default): a task that drains the queue faster than that starves until the backoff ends.
        if (!configured.ContainsKey("fetch.queue.backoff.ms")) config.FetchQueueBackoffMs = FetchQueueBackoffMs;
        // A topics.regex subscription only notices new topics when metadata is refreshed, by default every 5 minutes:
        // a table the source starts capturing would wait that long. Refresh every few seconds instead.
        if (options.TopicsRegex is not null && !configured.ContainsKey("topic.metadata.refresh.interval.ms"))
            config.TopicMetadataRefreshIntervalMs = TopicsRegexMetadataRefreshMs;
        // Timestamps are never used: not marshalling them saves work per record. Headers always: the source position
        // (kafkacdc.position) is one, and without it the source's replays would be applied again.
        config.ConsumeResultFields = configured.TryGetValue("dotnet.consumer.consume.result.fields", out var fields) ? WithHeaders(fields) : "topic,headers";
        return config;
    }

    /// <summary>The user's <c>dotnet.consumer.consume.result.fields</c> with <c>headers</c> added when missing.</summary>
    static string WithHeaders(string fields)
    {
        var list = fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(f => f != "none").ToList();
        if (!list.Contains("all") && !list.Contains("headers")) list.Add("headers");
        return string.Join(',', list);
    }

    /// <summary>librdkafka's <c>fetch.queue.backoff.ms</c> for the task's consumer, unless <c>kafka.fetch.queue.backoff.ms</c> says otherwise.</summary>
    internal const int FetchQueueBackoffMs = 50;

    /// <summary>How often a <c>topics.regex</c> subscription looks for new matching topics, unless <c>kafka.topic.metadata.refresh.interval.ms</c> says otherwise.</summary>
    internal const int TopicsRegexMetadataRefreshMs = 5000;
}
