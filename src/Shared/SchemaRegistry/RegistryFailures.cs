using System.Net;
using System.Security.Authentication;
using Confluent.SchemaRegistry;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// What a failure of Confluent's registry client means, for both connectors' classifiers: after its own retries
/// (<c>schema.registry.max.retries</c>) it throws <see cref="HttpRequestException"/> for a registry it could not reach
/// (refused, reset, DNS, TLS, timeout), and <see cref="SchemaRegistryException"/> (a subclass) for an answer: 408, 429
/// or 5xx that kept coming through the retries, 409 incompatible, 422 invalid schema, 404 unknown subject, version or
/// id, 401/403 credentials.
/// </summary>
public static class RegistryFailures
{
    /// <summary>
    /// Whether trying again later may succeed: the registry was unreachable, slow or busy (no answer, 408, 429, 5xx),
    /// not refusing. Credentials (401/403), a rejected schema (409/422), an unknown subject or id (404) and a TLS
    /// handshake that failed (the CA or certificate settings) are not transient.
    /// </summary>
    public static bool IsTransient(HttpRequestException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            SchemaRegistryException answer => answer.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)answer.Status >= 500,
            _ => !IsUnauthorized(failure) && !IsTlsFailure(failure),
        };
    }

    /// <summary>
    /// Whether the registry refused the schema itself: incompatible with the subject's earlier versions (409) or not a
    /// valid schema (422, e.g. error code 42201). Changing the schema or the subject's compatibility level is the fix.
    /// </summary>
    public static bool IsSchemaRejection(HttpRequestException failure) =>
        failure is SchemaRegistryException { Status: HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity };

    /// <summary>
    /// The registry's own words (its message and <c>error_code</c>, and the HTTP status), or the client's reason when
    /// there was no answer, with the setting to look at where the failure points at one. Never contains credentials.
    /// </summary>
    public static string Describe(HttpRequestException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var status = failure is SchemaRegistryException answer ? (int)answer.Status : (int?)failure.StatusCode;
        var words = failure switch
        {
            // Confluent's client gives an answer without a JSON error body as an empty message and error code -1.
            SchemaRegistryException { ErrorCode: -1 } bare when bare.Message.StartsWith(';') =>
                $"HTTP {(int)bare.Status} without a schema registry error body",
            SchemaRegistryException refused => $"{refused.Message} (HTTP {(int)refused.Status})",
            _ when IsUnauthorized(failure) => $"Unauthorized (HTTP {status ?? 401})",
            _ => $"no usable answer: {failure.Message}",
        };
        var advice = status switch
        {
            401 => $"the registry did not accept the credentials: check {SchemaRegistryClientOptions.BasicAuthUserInfoKey} (or the schema.registry.bearer.auth.* settings)",
            403 => $"the credentials lack a permission the connector needs: grant it, or check {SchemaRegistryClientOptions.BasicAuthUserInfoKey}",
            404 when failure is SchemaRegistryException { ErrorCode: -1 } => $"is {SchemaRegistryClientOptions.UrlKey} the registry's base URL?",
            _ when IsUnauthorized(failure) => $"the registry did not accept the credentials: check {SchemaRegistryClientOptions.BasicAuthUserInfoKey}",
            _ when IsTlsFailure(failure) => "the TLS handshake failed: check schema.registry.ssl.ca.location, schema.registry.ssl.keystore.location and the registry's certificate",
            _ => null,
        };
        return advice is null ? words : $"{words}; {advice}";
    }

    /// <summary>A 401 (or 403) without a registry error body: Confluent's client throws a plain exception with this message.</summary>
    static bool IsUnauthorized(HttpRequestException failure) =>
        failure.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || failure.Message == "Unauthorized";

    /// <summary>Every attempt failed in the TLS handshake (an untrusted or invalid certificate, a bad client certificate).</summary>
    static bool IsTlsFailure(HttpRequestException failure)
    {
        IReadOnlyList<Exception> attempts = failure.InnerException switch
        {
            AggregateException all => all.InnerExceptions,
            { } one => [one],
            null => [failure],
        };
        return attempts.Count > 0 && attempts.All(IsTlsAttempt);
    }

    static bool IsTlsAttempt(Exception? attempt)
    {
        for (; attempt is not null; attempt = attempt.InnerException)
        {
            if (attempt is AuthenticationException or HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }) return true;
        }
        return false;
    }
}
