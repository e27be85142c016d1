using KafkaCdc.Shared.Configuration;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// Where the schema registry is and how <see cref="SchemaRegistryClient"/> talks to it, read from the
/// connectors' flat <c>schema.registry.*</c> keys by <see cref="FromConfig"/>.
/// </summary>
public sealed class SchemaRegistryClientOptions
{
    /// <summary>Comma-separated registry URLs (http or https); on network errors the client fails over to the next.</summary>
    public const string UrlKey = "schema.registry.url";

    /// <summary><c>user:password</c> for HTTP basic authentication; a secret, never shown.</summary>
    public const string BasicAuthUserInfoKey = "schema.registry.basic.auth.user.info";

    /// <summary>How long one HTTP request may take, in ms [30000].</summary>
    public const string RequestTimeoutKey = "schema.registry.request.timeout.ms";

    /// <summary>How many times a transient failure is retried [5].</summary>
    public const string MaxRetriesKey = "schema.registry.max.retries";

    /// <summary>The first retry's backoff in ms, doubled on each retry, with jitter [200].</summary>
    public const string RetryBackoffKey = "schema.registry.retry.backoff.ms";

    /// <summary>The longest backoff between retries, in ms [10000].</summary>
    public const string RetryBackoffMaxKey = "schema.registry.retry.backoff.max.ms";

    /// <summary>The registry URLs, tried in order; at least one.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary><c>user:password</c> for basic authentication, or null for none.</summary>
    public string? BasicAuthUserInfo { get; init; }

    /// <summary>The time limit of one HTTP request (one attempt).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMilliseconds(30_000);

    /// <summary>Retries of a transient failure (network error, timeout, 5xx, 408, 429) before giving up.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The backoff before the first retry; doubled on each further retry, with jitter.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap of the backoff between retries.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromMilliseconds(10_000);

    /// <summary>
    /// Reads and validates the <c>schema.registry.*</c> keys. Problems are recorded on
    /// <paramref name="config"/>, each naming its key, for the caller's <see cref="ConfigReader.ThrowIfProblems"/>;
    /// the options returned then hold defaults in place of the bad values.
    /// </summary>
    public static SchemaRegistryClientOptions FromConfig(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var urls = new List<Uri>();
        foreach (var text in config.RequiredString(UrlKey).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (CheckUrl(text, out var url) is { } problem) config.Problem(UrlKey, problem);
            else urls.Add(url);
        }

        var userInfo = config.String(BasicAuthUserInfoKey);
        if (userInfo is not null && CheckUserInfo(userInfo) is { } userInfoProblem) config.Problem(BasicAuthUserInfoKey, userInfoProblem);

        return new SchemaRegistryClientOptions
        {
            Urls = urls,
            BasicAuthUserInfo = userInfo,
            RequestTimeout = TimeSpan.FromMilliseconds(config.Int(RequestTimeoutKey, 30_000, min: 1)),
            MaxRetries = config.Int(MaxRetriesKey, 5, min: 0, max: 100),
            RetryBackoff = TimeSpan.FromMilliseconds(config.Int(RetryBackoffKey, 200, min: 0)),
            RetryBackoffMax = TimeSpan.FromMilliseconds(config.Int(RetryBackoffMaxKey, 10_000, min: 0)),
        };
    }

    /// <summary>The settings, with the credentials shown only as set or not.</summary>
    public override string ToString() =>
        $"urls={string.Join(",", Urls)}, basic auth={(BasicAuthUserInfo is null ? "none" : "****")}, " +
        $"request timeout={RequestTimeout.TotalMilliseconds} ms, max retries={MaxRetries}, " +
        $"backoff={RetryBackoff.TotalMilliseconds}–{RetryBackoffMax.TotalMilliseconds} ms";

    /// <summary>Checks options built in code, as <see cref="FromConfig"/> checks configured ones.</summary>
    /// <exception cref="ArgumentException">A value is unusable; the message names the option and what to change.</exception>
    internal void Validate()
    {
        if (Urls is null || Urls.Count == 0) throw new ArgumentException("at least one schema registry URL is required", nameof(Urls));
        foreach (var url in Urls)
        {
            if (CheckUrl(url.OriginalString, out _) is { } problem) throw new ArgumentException(problem, nameof(Urls));
        }

        if (BasicAuthUserInfo is not null && CheckUserInfo(BasicAuthUserInfo) is { } userInfoProblem)
            throw new ArgumentException(userInfoProblem, nameof(BasicAuthUserInfo));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("must be positive", nameof(RequestTimeout));
        if (MaxRetries < 0) throw new ArgumentException("must not be negative", nameof(MaxRetries));
        if (RetryBackoff < TimeSpan.Zero || RetryBackoffMax < TimeSpan.Zero) throw new ArgumentException("must not be negative", nameof(RetryBackoff));
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

    static string? CheckUserInfo(string userInfo) =>
        userInfo.IndexOf(':', StringComparison.Ordinal) <= 0
            ? "must be user:password (a user name, a colon, then the password)"
            : null;

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
