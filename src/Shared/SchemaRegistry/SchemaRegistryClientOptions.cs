using System.Globalization;
using System.Security.Cryptography;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Configuration;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// The connectors' <c>schema.registry.*</c> keys, read and checked at start-up, passed as they are to Confluent's
/// <see cref="CachedSchemaRegistryClient"/> (whose keys they are: <see cref="SchemaRegistryConfig.PropertyNames"/>).
/// A key that client does not know is reported with the other configuration problems (a typo would otherwise be
/// ignored); the two retry keys of earlier KafkaCdc versions are accepted under their old names. With
/// <c>schema.registry.basic.auth.credentials.source=SASL_INHERIT</c> the registry credentials are the Kafka client's
/// (<c>kafka.sasl.username</c>, <c>kafka.sasl.password</c>). The settings are finally checked by building a client with
/// them, so whatever Confluent's client would refuse (a CA file that cannot be read...) is reported at start-up too.
/// </summary>
public sealed class SchemaRegistryClientOptions
{
    /// <summary>Comma-separated registry URLs (http or https); the client fails over to the next on network errors.</summary>
    public const string UrlKey = SchemaRegistryConfig.PropertyNames.SchemaRegistryUrl;

    /// <summary><c>user:password</c> for HTTP basic authentication; a secret, never shown.</summary>
    public const string BasicAuthUserInfoKey = SchemaRegistryConfig.PropertyNames.SchemaRegistryBasicAuthUserInfo;

    /// <summary>Confluent's defaults that KafkaCdc changes: retry a little longer, starting sooner (as its own client did before).</summary>
    static readonly Dictionary<string, string> s_defaults = new(StringComparer.Ordinal)
    {
        [SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxRetries] = "5",
        [SchemaRegistryConfig.PropertyNames.SchemaRegistryRetriesWaitMs] = "200",
        [SchemaRegistryConfig.PropertyNames.SchemaRegistryRetriesMaxWaitMs] = "10000",
    };

    // Confluent marks these two obsolete (the serializers' config has them now), but its client still reads and accepts them.
    const string KeySubjectNameStrategyKey = "schema.registry.key.subject.name.strategy";
    const string ValueSubjectNameStrategyKey = "schema.registry.value.subject.name.strategy";

    /// <summary>The one subject name strategy the connectors use (<c>&lt;topic&gt;-key</c>, <c>&lt;topic&gt;-value</c>).</summary>
    const string TopicNameStrategy = nameof(SubjectNameStrategy.Topic);

    /// <summary>The Kafka client's SASL keys, which Confluent's client reads (without prefix) for <c>SASL_INHERIT</c>.</summary>
    static readonly (string KafkaKey, string ClientKey)[] s_inheritedSasl = [("kafka.sasl.username", "sasl.username"), ("kafka.sasl.password", "sasl.password")];

    /// <summary>Earlier KafkaCdc names of Confluent's keys.</summary>
    static readonly Dictionary<string, string> s_renamed = new(StringComparer.Ordinal)
    {
        ["schema.registry.retry.backoff.ms"] = SchemaRegistryConfig.PropertyNames.SchemaRegistryRetriesWaitMs,
        ["schema.registry.retry.backoff.max.ms"] = SchemaRegistryConfig.PropertyNames.SchemaRegistryRetriesMaxWaitMs,
    };

    /// <summary>Every key Confluent.SchemaRegistry 2.16 reads, with whether its value is a number of at least the minimum.</summary>
    static readonly (string Key, int? Minimum)[] s_keys =
    [
        (UrlKey, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryRequestTimeoutMs, 1),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxRetries, 0),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryRetriesWaitMs, 0),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryRetriesMaxWaitMs, 0),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxConnectionsPerServer, 1),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxCachedSchemas, 1),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryLatestCacheTtlSecs, 0),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBasicAuthCredentialsSource, null),
        (BasicAuthUserInfoKey, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthCredentialsSource, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthToken, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthLogicalCluster, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthIdentityPoolId, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthClientId, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthClientSecret, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthScope, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthTokenEndpointUrl, null),
        (SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthTokenEndpointQuery, null),
        (KeySubjectNameStrategyKey, null),
        (ValueSubjectNameStrategyKey, null),
        (SchemaRegistryConfig.PropertyNames.SslCaLocation, null),
        (SchemaRegistryConfig.PropertyNames.SslKeystoreLocation, null),
        (SchemaRegistryConfig.PropertyNames.SslKeystorePassword, null),
        (SchemaRegistryConfig.PropertyNames.EnableSslCertificateVerification, null),
    ];

    /// <summary>Keys whose values are secrets: shown as <c>****</c>.</summary>
    static readonly HashSet<string> s_secrets =
    [
        BasicAuthUserInfoKey, SchemaRegistryConfig.PropertyNames.SslKeystorePassword,
        SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthToken, SchemaRegistryConfig.PropertyNames.SchemaRegistryBearerAuthClientSecret,
        "sasl.password",
    ];

    /// <summary>The registry URLs, in order; at least one.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary>Everything passed to <see cref="CachedSchemaRegistryClient"/>: Confluent's keys and their values.</summary>
    public required IReadOnlyDictionary<string, string> ClientConfig { get; init; }

    /// <summary>Whether requests carry basic-authentication credentials.</summary>
    public bool HasBasicAuth => ClientConfig.ContainsKey(BasicAuthUserInfoKey);

    /// <summary>Options for <paramref name="url"/> alone (tools and tests), with KafkaCdc's defaults.</summary>
    public static SchemaRegistryClientOptions ForUrl(string url, string? basicAuthUserInfo = null)
    {
        var config = new Dictionary<string, string>(s_defaults, StringComparer.Ordinal) { [UrlKey] = url };
        if (basicAuthUserInfo is not null) config[BasicAuthUserInfoKey] = basicAuthUserInfo;
        return new SchemaRegistryClientOptions { Urls = [.. url.Split(',', StringSplitOptions.TrimEntries).Select(u => new Uri(u))], ClientConfig = config };
    }

    /// <summary>
    /// Reads and checks the <c>schema.registry.*</c> keys. Problems are recorded on <paramref name="config"/>, each naming
    /// its key (never a secret's value), for the caller's <see cref="ConfigReader.ThrowIfProblems"/>, which also reports
    /// any <c>schema.registry.*</c> key not read here as unknown.
    /// </summary>
    public static SchemaRegistryClientOptions FromConfig(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = 0;
        void Problem(string key, string message)
        {
            config.Problem(key, message);
            problems++;
        }

        var client = new Dictionary<string, string>(s_defaults, StringComparer.Ordinal);
        foreach (var (oldKey, key) in s_renamed)
        {
            if (config.String(oldKey) is not { } value) continue;
            if (config.String(key) is { } current && current != value)
                Problem(oldKey, $"is the earlier name of {key}, which is set too; keep only {key}");
            client[key] = value;
        }
        foreach (var (key, minimum) in s_keys)
        {
            if (config.String(key) is not { } value) continue;
            if (minimum is { } least && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < least))
                Problem(key, $"must be a whole number of at least {least}, not '{(s_secrets.Contains(key) ? "****" : value)}'");
            client[key] = value;
        }

        // Confluent's client counts attempts per URL and, given 0, sends no request at all and fails with a
        // NullReferenceException; KafkaCdc's own client read 0 as "no retry", which is one attempt.
        if (client.TryGetValue(SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxRetries, out var retries) && retries == "0")
            client[SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxRetries] = "1";

        var urls = new List<Uri>();
        var urlTexts = new List<string>();
        foreach (var text in config.RequiredString(UrlKey).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (CheckUrl(text, out var url) is { } problem) Problem(UrlKey, problem);
            else urls.Add(url);
            urlTexts.Add(text);
        }
        // Confluent's client splits on commas without trimming: hand it the URLs without the spaces around them.
        if (urlTexts.Count > 0) client[UrlKey] = string.Join(",", urlTexts);
        if (client.TryGetValue(BasicAuthUserInfoKey, out var userInfo) && userInfo.IndexOf(':', StringComparison.Ordinal) <= 0)
            Problem(BasicAuthUserInfoKey, "must be user:password (a user name, a colon, then the password)");
        if (client.TryGetValue(SchemaRegistryConfig.PropertyNames.EnableSslCertificateVerification, out var verify) && !bool.TryParse(verify, out _))
            Problem(SchemaRegistryConfig.PropertyNames.EnableSslCertificateVerification, $"must be true or false, not '{verify}'");
        foreach (var key in (string[])[KeySubjectNameStrategyKey, ValueSubjectNameStrategyKey])
        {
            if (client.TryGetValue(key, out var strategy) && strategy != TopicNameStrategy)
                Problem(key, $"must be {TopicNameStrategy}, not '{strategy}': the connectors name subjects <topic>-key and <topic>-value (TopicNameStrategy)");
        }
        if (client.TryGetValue(SchemaRegistryConfig.PropertyNames.SchemaRegistryBasicAuthCredentialsSource, out var source) && source == "SASL_INHERIT")
        {
            foreach (var (kafkaKey, clientKey) in s_inheritedSasl)
            {
                if (config.String(kafkaKey) is { } value) client[clientKey] = value;
                else Problem(SchemaRegistryConfig.PropertyNames.SchemaRegistryBasicAuthCredentialsSource, $"SASL_INHERIT takes the registry credentials from {kafkaKey}, which is not set");
            }
        }

        if (problems == 0) CheckWithConfluentsClient(config, client);
        return new SchemaRegistryClientOptions { Urls = urls, ClientConfig = client };
    }

    /// <summary>A client with these settings (Confluent's, which caches schemas by id and registrations by subject and schema).</summary>
    public CachedSchemaRegistryClient CreateClient() => new(ClientConfig);

    /// <summary>The settings, with secrets shown only as set.</summary>
    public override string ToString() =>
        string.Join(", ", ClientConfig.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(s_secrets.Contains(p.Key) ? "****" : p.Value)}"));

    /// <summary>
    /// Builds a client with <paramref name="client"/> (no request is sent), so that what Confluent's client refuses
    /// (a credentials source it does not know, a CA or keystore file it cannot read...) is a configuration problem
    /// at start-up rather than a failure of the first request.
    /// </summary>
    static void CheckWithConfluentsClient(ConfigReader config, Dictionary<string, string> client)
    {
        try
        {
            using var check = new CachedSchemaRegistryClient(client);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            var message = e.Message;
            foreach (var secret in s_secrets)
            {
                if (client.TryGetValue(secret, out var value) && value.Length > 0) message = message.Replace(value, "****", StringComparison.Ordinal);
            }
            var key = s_keys.Select(k => k.Key).Where(k => message.Contains(k, StringComparison.Ordinal)).MaxBy(k => k.Length)
                ?? (e is IOException or UnauthorizedAccessException or CryptographicException ? KeyOfFile(client, message) : null)
                ?? "schema.registry.*";
            config.Problem(key, $"refused by the registry client: {message}");
        }
    }

    /// <summary>The file setting a file error comes from: the one whose path the message names, else the keystore, else the CA.</summary>
    static string? KeyOfFile(Dictionary<string, string> client, string message)
    {
        string[] files = [SchemaRegistryConfig.PropertyNames.SslCaLocation, SchemaRegistryConfig.PropertyNames.SslKeystoreLocation];
        return files.FirstOrDefault(k => client.TryGetValue(k, out var path) && message.Contains(path, StringComparison.Ordinal))
            ?? files.LastOrDefault(client.ContainsKey);
    }

    static string? CheckUrl(string text, out Uri url)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            return $"'{Redacted(text)}' is not an http:// or https:// URL";
        if (parsed.UserInfo.Length > 0)
            return $"'{Redacted(text)}' contains credentials; set them in {BasicAuthUserInfoKey} instead";
        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
            return $"'{text}' has a query or fragment; give the registry's base URL";
        url = parsed;
        return null;
    }

    /// <summary>The text with anything that may be credentials (up to an <c>@</c>) masked.</summary>
    static string Redacted(string text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0) return text;
        var start = text.IndexOf("//", StringComparison.Ordinal);
        start = start >= 0 && start < at ? start + 2 : 0;
        return string.Concat(text.AsSpan(0, start), "****", text.AsSpan(at));
    }
}
