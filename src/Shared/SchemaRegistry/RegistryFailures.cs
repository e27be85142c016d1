using System.Net;
using Confluent.SchemaRegistry;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// What a failure of Confluent's registry client means, for both connectors' classifiers: after its own retries
/// (<c>schema.registry.max.retries</c>) it throws <see cref="HttpRequestException"/> for a registry it could not reach
/// or that kept answering 408, 429 or 5xx, and <see cref="SchemaRegistryException"/> (a subclass) for any other answer:
/// 409 incompatible, 422 invalid schema, 404 unknown subject, version or id, 401/403 credentials.
/// </summary>
public static class RegistryFailures
{
    /// <summary>Whether trying again later may succeed: the registry was unreachable or busy, not refusing.</summary>
    public static bool IsTransient(HttpRequestException failure) => failure switch
    {
        SchemaRegistryException refused => refused.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)refused.Status >= 500,
        _ => failure.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && failure.Message != "Unauthorized",
    };

    /// <summary>The registry's own words: its message and <c>error_code</c>, or the client's reason when there was no answer.</summary>
    public static string Describe(HttpRequestException failure) => failure switch
    {
        SchemaRegistryException refused => $"{refused.Message} (HTTP {(int)refused.Status})",
        _ => $"no usable answer: {failure.Message}",
    };
}
