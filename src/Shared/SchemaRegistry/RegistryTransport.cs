using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// Sends one REST request to the registry with retries and failover: transient failures
/// (<see cref="SchemaRegistryException.IsTransientStatus"/>) are retried with <see cref="RetryBackoff"/> up to
/// <see cref="SchemaRegistryClientOptions.MaxRetries"/> times; when a URL gives no answer (network error,
/// timeout) the next URL is tried at once, and a retry is counted only when every URL failed in a row.
/// </summary>
sealed class RegistryTransport : IDisposable
{
    const string ContentType = "application/vnd.schemaregistry.v1+json";

    readonly HttpClient _http;
    readonly SchemaRegistryClientOptions _options;
    readonly Uri[] _urls;
    readonly AuthenticationHeaderValue? _authorization;
    readonly RetryBackoff _backoff;
    readonly ILogger _logger;
    int _current;

    public RegistryTransport(SchemaRegistryClientOptions options, HttpMessageHandler? handler, ILogger logger)
    {
        _options = options;
        _urls = [.. options.Urls.Select(WithTrailingSlash)];
        _authorization = options.BasicAuthUserInfo is { } userInfo
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)))
            : null;
        _backoff = new RetryBackoff(options.RetryBackoff, options.RetryBackoffMax);
        _logger = logger;
        handler ??= new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends the request, with <paramref name="payload"/> (JSON) as its body if any, and reads the answer as <paramref name="answerType"/>.</summary>
    /// <exception cref="SchemaRegistryException">An error answer, or no answer after the retries.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TAnswer> SendAsync<TAnswer>(HttpMethod method, string path, byte[]? payload,
        JsonTypeInfo<TAnswer> answerType, RegistryOperation operation, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var retries = 0;
        var unansweredInARow = 0;
        while (true)
        {
            var index = Volatile.Read(ref _current);
            var url = new Uri(_urls[index], path);
            attempts++;
            Failure failure;
            try
            {
                var (status, answer) = await SendOnceAsync(method, url, payload, cancellationToken);
                if ((int)status is >= 200 and < 300) return Parse(answer, answerType, operation, url);
                failure = Failure.FromAnswer(status, answer);
                unansweredInARow = 0;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new Failure(null, 0, $"no answer within {_options.RequestTimeout.TotalMilliseconds} ms ({SchemaRegistryClientOptions.RequestTimeoutKey})", e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                failure = new Failure(null, 0, e.Message, e);
            }

            if (!SchemaRegistryException.IsTransientStatus(failure.Status)) throw failure.ToException(operation, url, attempts);

            if (failure.Status is null && _urls.Length > 1)
            {
                var next = (index + 1) % _urls.Length;
                Interlocked.CompareExchange(ref _current, next, index);
                SchemaRegistryLog.FailingOver(_logger, _urls[index], failure.Reason, _urls[next]);
                if (++unansweredInARow < _urls.Length) continue;
                unansweredInARow = 0;
            }

            if (retries == _options.MaxRetries) throw failure.ToException(operation, url, attempts);
            retries++;
            var delay = _backoff.Before(retries);
            SchemaRegistryLog.Retrying(_logger, operation.Description, failure.Reason, retries, _options.MaxRetries, delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    async Task<(HttpStatusCode Status, byte[] Answer)> SendOnceAsync(HttpMethod method, Uri url, byte[]? payload, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5");
        request.Headers.Authorization = _authorization;
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var answer = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        SchemaRegistryLog.Answered(_logger, method.Method, url, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return (response.StatusCode, answer);
    }

    static TAnswer Parse<TAnswer>(byte[] answer, JsonTypeInfo<TAnswer> answerType, RegistryOperation operation, Uri url)
    {
        try
        {
            return JsonSerializer.Deserialize(answer, answerType)
                   ?? throw new JsonException("the answer is JSON null");
        }
        catch (JsonException e)
        {
            throw new SchemaRegistryException(
                $"{operation.Sentence} failed: the schema registry at {url.GetLeftPart(UriPartial.Authority)} answered with unexpected JSON ({e.Message}). Check that {SchemaRegistryClientOptions.UrlKey} points at a Confluent-compatible schema registry.",
                HttpStatusCode.OK, 0, e.Message, operation.Subject, operation.SchemaId, e);
        }
    }

    public void Dispose() => _http.Dispose();

    static Uri WithTrailingSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;


    /// <summary>One failed attempt: the status (null: no answer), Confluent's error code and the reason.</summary>
    sealed record Failure(HttpStatusCode? Status, int ErrorCode, string Reason, Exception? Cause = null)
    {
        public static Failure FromAnswer(HttpStatusCode status, byte[] answer)
        {
            try
            {
                if (JsonSerializer.Deserialize(answer, RegistryJsonContext.Default.ErrorAnswer) is { Message: { } message } error)
                    return new Failure(status, error.ErrorCode, message);
            }
            catch (JsonException)
            {
                // Not a Confluent error body (a proxy's HTML page...): the text itself says more than a parse error.
            }

            var text = Encoding.UTF8.GetString(answer).ReplaceLineEndings(" ").Trim();
            if (text.Length > 200) text = text[..200] + "…";
            return new Failure(status, (int)status, text.Length > 0 ? text : status.ToString());
        }

        public SchemaRegistryException ToException(RegistryOperation operation, Uri url, int attempts)
        {
            var registry = url.GetLeftPart(UriPartial.Authority);
            var tries = attempts == 1 ? "" : $" after {attempts} attempts";
            var message = Status is null
                ? $"{operation.Sentence} failed: the schema registry at {registry} could not be reached{tries}: {Reason}. " +
                  $"Check {SchemaRegistryClientOptions.UrlKey} and that the registry is running."
                : $"{operation.Sentence} failed{tries}: {Reason} (HTTP {(int)Status.Value}, error code {ErrorCode}, from {registry}).{Hint()}";
            return new SchemaRegistryException(message, Status, ErrorCode, Reason, operation.Subject, operation.SchemaId, Cause);
        }

        string Hint() => Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $" Check {SchemaRegistryClientOptions.BasicAuthUserInfoKey}.",
            HttpStatusCode.Conflict => " Make the change compatible with the subject's compatibility level (e.g. give new fields a default), or change that level.",
            _ => "",
        };
    }
}
