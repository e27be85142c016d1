using System.Globalization;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Configuration;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// The connectors' <c>schema.registry.*</c> keys, read and checked at start-up, passed as they are to Confluent's
/// <see cref="CachedSchemaRegistryClient"/> (whose keys they are: <see cref="SchemaRegistryConfig.PropertyNames"/>).
/// A key that client does not know is reported with the other configuration problems (a typo would otherwise be
/// ignored); the two retry keys of earlier KafkaCdc versions are accepted under their old names.
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
        var client = new Dictionary<string, string>(s_defaults, StringComparer.Ordinal);
        foreach (var (oldKey, key) in s_renamed)
        {
            if (config.String(oldKey) is { } value) client[key] = value;
        }
        foreach (var (key, minimum) in s_keys)
        {
            if (config.String(key) is not { } value) continue;
            if (minimum is { } least && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < least))
                config.Problem(key, $"must be a whole number of at least {least}, not '{(s_secrets.Contains(key) ? "****" : value)}'");
            client[key] = value;
        }

        var urls = new List<Uri>();
        foreach (var text in config.RequiredString(UrlKey).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (CheckUrl(text, out var url) is { } problem) config.Problem(UrlKey, problem);
            else urls.Add(url);
        }
        if (client.TryGetValue(BasicAuthUserInfoKey, out var userInfo) && userInfo.IndexOf(':', StringComparison.Ordinal) <= 0)
            config.Problem(BasicAuthUserInfoKey, "must be user:password (a user name, a colon, then the password)");
        if (client.TryGetValue(SchemaRegistryConfig.PropertyNames.EnableSslCertificateVerification, out var verify) && !bool.TryParse(verify, out _))
            config.Problem(SchemaRegistryConfig.PropertyNames.EnableSslCertificateVerification, $"must be true or false, not '{verify}'");
        return new SchemaRegistryClientOptions { Urls = urls, ClientConfig = client };
    }

    /// <summary>A client with these settings (Confluent's, which caches schemas by id and registrations by subject and schema).</summary>
    public CachedSchemaRegistryClient CreateClient() => new(ClientConfig);

    /// <summary>The settings, with secrets shown only as set.</summary>
    public override string ToString() =>
        string.Join(", ", ClientConfig.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(s_secrets.Contains(p.Key) ? "****" : p.Value)}"));

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
