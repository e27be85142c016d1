using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// Makes sure topics exist before a connector produces to or subscribes to them, with the cluster's default
/// partition count and replication factor.
/// </summary>
/// <remarks>
/// Topics are created through the admin API (CreateTopics with partitions and replication factor -1, i.e.
/// the broker's <c>num.partitions</c> and <c>default.replication.factor</c>; needs Kafka 2.4 or later). Where
/// the cluster cannot serve CreateTopics, the provisioner falls back, once and for the rest of its life, to
/// broker auto-creation: a metadata request naming the topic, which creates it when the broker allows
/// auto-creation. Either way it returns only once every topic is in the cluster's metadata with at least one
/// partition. An existing topic is fine.
/// <para>
/// librdkafka's mock cluster (the dev stack's Kafka) has no CreateTopics and reports a controller id that
/// is none of its brokers, so librdkafka's admin requests would wait for a controller until they time out.
/// The provisioner therefore first asks for the controller id (<see cref="LibrdkafkaClientHandle.GetControllerId"/>,
/// through a short-lived second client) and falls back at once when it names no broker; it also falls back
/// when CreateTopics itself answers that it is unsupported.
/// </para>
/// </remarks>
public sealed class KafkaTopicProvisioner : IDisposable
{
    static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    readonly AdminClientConfig _config;
    readonly IAdminClient _adminClient;
    readonly ILogger _logger;
    readonly TimeSpan _timeout;
    bool? _createTopicsSupported;

    /// <summary>Creates a provisioner with its own admin client built from <paramref name="config"/>.</summary>
    /// <param name="config">The admin client configuration, e.g. <see cref="KafkaClientSettings.CreateAdminClientConfig"/>.</param>
    /// <param name="logger">Receives the admin client's librdkafka logs, the fallback notice and each topic created.</param>
    /// <param name="timeout">How long one <c>EnsureTopicsAsync</c> call may take; 30 seconds by default.</param>
    public KafkaTopicProvisioner(AdminClientConfig config, ILogger logger, TimeSpan? timeout = null)
    {
        _config = config;
        _logger = logger;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _adminClient = new AdminClientBuilder(config).SetLogger(logger).Build();
    }

    /// <summary>Creates those of <paramref name="topics"/> that do not exist yet and waits until all are visible.</summary>
    /// <exception cref="KafkaException">A topic could not be created or did not appear in time; the message names it.</exception>
    public Task EnsureTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default) =>
        EnsureTopicsAsync(topics, null, cancellationToken);

    /// <summary>
    /// Creates those of <paramref name="topics"/> that do not exist yet, with the topic-level <paramref name="configs"/>
    /// (e.g. <c>cleanup.policy=compact</c>) where the admin API is available, and waits until all are visible. Where the
    /// cluster falls back to auto-creation, the configs are not applied (the broker's defaults hold).
    /// </summary>
    /// <exception cref="KafkaException">A topic could not be created or did not appear in time; the message names it.</exception>
    public async Task EnsureTopicsAsync(IEnumerable<string> topics, IReadOnlyDictionary<string, string>? configs, CancellationToken cancellationToken = default)
    {
        var names = topics.Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return;
        var deadline = DateTime.UtcNow + _timeout;

        _createTopicsSupported ??= await Task.Run(ClusterHasController, cancellationToken);
        if (_createTopicsSupported == true) await CreateThroughAdminApiAsync(names, configs, cancellationToken);

        foreach (var topic in names) await AwaitInMetadataAsync(topic, deadline, cancellationToken);
    }

    async Task CreateThroughAdminApiAsync(List<string> topics, IReadOnlyDictionary<string, string>? configs, CancellationToken cancellationToken)
    {
        var specifications = topics.Select(t => new TopicSpecification
        {
            Name = t,
            NumPartitions = -1,
            ReplicationFactor = -1,
            Configs = configs?.ToDictionary(c => c.Key, c => c.Value),
        });
        var options = new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout };
        IReadOnlyList<CreateTopicReport> reports;
        try
        {
            await _adminClient.CreateTopicsAsync(specifications, options).WaitAsync(cancellationToken);
            reports = topics.Select(t => new CreateTopicReport { Topic = t, Error = new Error(ErrorCode.NoError) }).ToList();
        }
        catch (CreateTopicsException e)
        {
            reports = e.Results;
        }
        catch (KafkaException e) when (IsCreateTopicsUnsupported(e.Error.Code))
        {
            MarkUnsupported(e.Error);
            return;
        }

        var failures = new List<string>();
        foreach (var report in reports)
        {
            switch (report.Error.Code)
            {
                case ErrorCode.NoError:
                    Log.TopicCreated(_logger, report.Topic);
                    break;
                case ErrorCode.TopicAlreadyExists:
                    Log.TopicExists(_logger, report.Topic);
                    break;
                case var code when IsCreateTopicsUnsupported(code):
                    MarkUnsupported(report.Error);
                    break;
                default:
                    failures.Add($"{report.Topic} ({report.Error.Code}: {report.Error.Reason})");
                    break;
            }
        }
        if (failures.Count > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail,
                $"Could not create Kafka topic(s) {string.Join(", ", failures)}; create them by hand or grant the connector's principal CREATE on the cluster"));
        }
    }

    async Task AwaitInMetadataAsync(string topic, DateTime deadline, CancellationToken cancellationToken)
    {
        var lastError = ErrorCode.NoError;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = deadline - DateTime.UtcNow;
            if (remaining > TimeSpan.Zero)
            {
                // A metadata request naming the topic; brokers that auto-create topics create it now.
                var metadata = await Task.Run(() => _adminClient.GetMetadata(topic, remaining), cancellationToken);
                var entry = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                lastError = entry?.Error.Code ?? ErrorCode.UnknownTopicOrPart;
                if (entry is { Error.Code: ErrorCode.NoError, Partitions.Count: > 0 })
                {
                    Log.TopicInMetadata(_logger, topic, entry.Partitions.Count);
                    return;
                }
            }
            if (DateTime.UtcNow + s_pollInterval >= deadline)
            {
                throw new KafkaException(new Error(lastError,
                    $"Kafka topic {topic} did not appear in the cluster metadata within {_timeout.TotalSeconds:0.#}s (last error {lastError}). " +
                    "The cluster neither created it through the admin API nor auto-created it (auto.create.topics.enable=false?): create it by hand"));
            }
            await Task.Delay(s_pollInterval, cancellationToken);
        }
    }

    /// <summary>Disposes the admin client.</summary>
    public void Dispose() => _adminClient.Dispose();

    bool ClusterHasController()
    {
        var properties = _config.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value))
            .Append(new("log_level", "0")); // the admin client already reports connection problems to the logger
        int controllerId;
        using (var probe = LibrdkafkaClientHandle.CreateProducer(properties)) controllerId = probe.GetControllerId(_timeout);
        if (controllerId == -1) return true; // no metadata in time: let CreateTopics report what is wrong

        var brokers = _adminClient.GetMetadata(_timeout).Brokers.Select(b => b.BrokerId).ToList();
        if (brokers.Contains(controllerId)) return true;
        MarkUnsupported(new Error(ErrorCode.Local_UnsupportedFeature,
            $"the metadata names controller {controllerId}, which is none of the brokers {string.Join(", ", brokers)}"));
        return false;
    }

    void MarkUnsupported(Error error)
    {
        if (_createTopicsSupported == false) return;
        _createTopicsSupported = false;
        Log.CreateTopicsUnsupported(_logger, error.Code, error.Reason);
    }

    static bool IsCreateTopicsUnsupported(ErrorCode code) =>
        code is ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.InvalidRequest;
}
