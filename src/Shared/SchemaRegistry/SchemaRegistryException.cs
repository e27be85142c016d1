using System.Net;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// A schema registry request failed: the registry answered with an error, or it could not be reached in time.
/// The message names the subject or schema id and gives the registry's reason; credentials never appear in it.
/// </summary>
/// <remarks>
/// <see cref="IsTransient"/> is decided in one place (<see cref="IsTransientStatus"/>): no answer (network error,
/// timeout), 5xx, 408 and 429 are transient and were already retried by the client; other answers are permanent
/// (an incompatible or invalid schema, an unknown id, bad credentials) and retrying cannot help.
/// </remarks>
public sealed class SchemaRegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message: the operation, the registry's reason and what to change.</param>
    /// <param name="status">The HTTP status answered, or null when there was no answer.</param>
    /// <param name="errorCode">Confluent's <c>error_code</c> (e.g. 40403), the HTTP status when the body had none, 0 without an answer.</param>
    /// <param name="registryMessage">The registry's own message, or the network error's.</param>
    /// <param name="subject">The subject concerned, if any.</param>
    /// <param name="schemaId">The schema id concerned, if any.</param>
    /// <param name="innerException">The network or parsing error behind this one.</param>
    public SchemaRegistryException(string message, HttpStatusCode? status, int errorCode, string registryMessage,
        string? subject = null, int? schemaId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        RegistryMessage = registryMessage;
        Subject = subject;
        SchemaId = schemaId;
    }

    /// <summary>The HTTP status answered, or null when the registry could not be reached or did not answer in time.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>
    /// Confluent's <c>error_code</c>: the HTTP status, or the status followed by two digits (40401 subject not found,
    /// 40403 schema not found, 42201 invalid schema...); 0 when there was no answer.
    /// </summary>
    public int ErrorCode { get; }

    /// <summary>The registry's message (or the network error's), without the text this client adds.</summary>
    public string RegistryMessage { get; }

    /// <summary>The subject the request concerned, if any.</summary>
    public string? Subject { get; }

    /// <summary>The schema id the request concerned, if any.</summary>
    public int? SchemaId { get; }

    /// <summary>Whether the same request may succeed later: see <see cref="IsTransientStatus"/>.</summary>
    public bool IsTransient => IsTransientStatus(Status);

    /// <summary>
    /// The one rule for retrying: no answer at all (null: connection refused or reset, DNS failure, timeout),
    /// a 5xx, 408 Request Timeout and 429 Too Many Requests are transient; everything else is permanent.
    /// </summary>
    public static bool IsTransientStatus(HttpStatusCode? status) =>
        status is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
