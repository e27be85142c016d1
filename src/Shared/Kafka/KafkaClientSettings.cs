using Confluent.Kafka;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// The Kafka client part of a connector's flat configuration: <c>kafka.bootstrap.servers</c> and any other
/// <c>kafka.*</c> key, handed to librdkafka with the prefix stripped (<c>kafka.security.protocol</c> becomes
/// librdkafka's <c>security.protocol</c>; see librdkafka's CONFIGURATION.md for the names).
/// </summary>
/// <remarks>
/// Properties the connector owns (<see cref="KafkaOwnedProperties"/>) cannot be set this way. Everything is
/// checked by <see cref="Validate"/> through librdkafka's own configuration API, without connecting, so a typo
/// fails at start-up naming its key. Values of secrets (<see cref="IsSecret"/>) never appear in messages or in
/// <see cref="ToString"/>. Keys starting with <c>kafka.dotnet.</c> are Confluent.Kafka's own settings and are
/// passed on without librdkafka's check.
/// </remarks>
public sealed class KafkaClientSettings
{
    /// <summary>The prefix marking a connector configuration key as a librdkafka property.</summary>
    public const string KeyPrefix = "kafka.";

    /// <summary>The required key listing the brokers to bootstrap from.</summary>
    public const string BootstrapServersKey = KeyPrefix + "bootstrap.servers";

    const string Redacted = "[redacted]";

    static readonly string[] s_secretMarkers = ["password", "secret", "jaas.config", "oauthbearer.config", "key.pem"];

    KafkaClientSettings(IReadOnlyDictionary<string, string> properties) => Properties = properties;

    /// <summary>The librdkafka properties (prefix stripped) as configured, in configuration order.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The configured <c>bootstrap.servers</c>, or null when missing.</summary>
    public string? BootstrapServers => Properties.GetValueOrDefault("bootstrap.servers");

    /// <summary>
    /// Collects the <c>kafka.*</c> keys of a connector's flat configuration; other keys are ignored, and so are
    /// null values (the section nodes of <c>IConfiguration.AsEnumerable()</c>). Later duplicates win.
    /// </summary>
    public static KafkaClientSettings FromConnectorConfig(IEnumerable<KeyValuePair<string, string?>> connectorConfig)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in connectorConfig)
        {
            if (value is null || !key.StartsWith(KeyPrefix, StringComparison.Ordinal)) continue;
            properties[key[KeyPrefix.Length..]] = value;
        }
        return new KafkaClientSettings(properties);
    }

    /// <summary>Whether a librdkafka property holds a secret (passwords, JAAS/OAuth settings, private keys).</summary>
    public static bool IsSecret(string property) =>
        s_secretMarkers.Any(marker => property.Contains(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Checks the configuration without connecting: <c>kafka.bootstrap.servers</c> is present, no key sets one of
    /// <paramref name="ownedProperties"/>, and librdkafka accepts every property name and value.
    /// </summary>
    /// <returns>Every problem found, each naming its connector key; empty when the configuration is usable.</returns>
    public IReadOnlyList<KafkaConfigProblem> Validate(IReadOnlyDictionary<string, string> ownedProperties)
    {
        var problems = new List<KafkaConfigProblem>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            problems.Add(new(BootstrapServersKey, "required: the Kafka brokers to bootstrap from, e.g. localhost:9092"));

        foreach (var (property, value) in Properties)
        {
            var key = KeyPrefix + property;
            if (property.Length == 0)
            {
                problems.Add(new(key, "no librdkafka property name after the 'kafka.' prefix"));
            }
            else if (ownedProperties.TryGetValue(property, out var owned))
            {
                problems.Add(new(key,
                    $"set by the connector itself ({property}={owned}) because its delivery guarantees depend on it; remove this key"));
            }
            else if (CheckWithLibrdkafka(property, value) is { } message)
            {
                problems.Add(new(key, message));
            }
        }

        foreach (var (property, value) in ownedProperties)
        {
            if (CheckWithLibrdkafka(property, value) is { } message)
                throw new ArgumentException($"owned property {property} is rejected by librdkafka: {message}", nameof(ownedProperties));
        }
        return problems;
    }

    /// <summary>Throws a <see cref="KafkaConfigException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public void EnsureValid(IReadOnlyDictionary<string, string> ownedProperties)
    {
        var problems = Validate(ownedProperties);
        if (problems.Count > 0) throw new KafkaConfigException(problems);
    }

    /// <summary>A producer configuration: the configured properties plus <paramref name="ownedProperties"/>.</summary>
    /// <exception cref="KafkaConfigException">The configuration is not valid.</exception>
    public ProducerConfig CreateProducerConfig(IReadOnlyDictionary<string, string> ownedProperties) =>
        new(Merge(ownedProperties));

    /// <summary>A consumer configuration: the configured properties plus <paramref name="ownedProperties"/>.</summary>
    /// <exception cref="KafkaConfigException">The configuration is not valid.</exception>
    public ConsumerConfig CreateConsumerConfig(IReadOnlyDictionary<string, string> ownedProperties) =>
        new(Merge(ownedProperties));

    /// <summary>An admin client configuration with the configured properties.</summary>
    /// <remarks>Consumer- or producer-only properties are ignored by the admin client (librdkafka logs a warning).</remarks>
    /// <exception cref="KafkaConfigException">The configuration is not valid.</exception>
    public AdminClientConfig CreateAdminClientConfig() => new(Merge(KafkaOwnedProperties.None));

    /// <summary>The configured keys and values, with secrets redacted.</summary>
    public override string ToString() =>
        string.Join(", ", Properties.Select(p => $"{KeyPrefix}{p.Key}={(IsSecret(p.Key) ? Redacted : p.Value)}"));

    Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> ownedProperties)
    {
        EnsureValid(ownedProperties);
        var merged = new Dictionary<string, string>(Properties, StringComparer.Ordinal);
        foreach (var (property, value) in ownedProperties) merged[property] = value;
        return merged;
    }

    static string? CheckWithLibrdkafka(string property, string value)
    {
        if (property.StartsWith("dotnet.", StringComparison.Ordinal)) return null;
        var (result, message) = LibrdkafkaConfNative.TrySet(property, value);
        if (IsSecret(property) && value.Length > 0) message = message.Replace(value, Redacted, StringComparison.Ordinal);
        return result switch
        {
            LibrdkafkaConfNative.ConfResult.Ok => null,
            LibrdkafkaConfNative.ConfResult.Unknown =>
                $"not a librdkafka configuration property ({message}); check the spelling against librdkafka's CONFIGURATION.md",
            _ => $"rejected by librdkafka: {message}",
        };
    }
}
