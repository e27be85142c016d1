namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// An error answered to a client as Confluent Schema Registry answers it: an HTTP status and a body
/// <c>{"error_code": ..., "message": ...}</c>. The factories use Confluent 7.x's codes and message texts
/// (<c>io.confluent.kafka.schemaregistry.rest.exceptions.Errors</c>).
/// </summary>
sealed class RegistryError : Exception
{
    RegistryError(int status, int errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>Confluent's <c>error_code</c>: the HTTP status, or the status followed by two digits.</summary>
    public int ErrorCode { get; }

    public static RegistryError SubjectNotFound(string subject) => new(404, 40401, $"Subject '{subject}' not found.");

    public static RegistryError VersionNotFound(int version) => new(404, 40402, $"Version {version} not found.");

    public static RegistryError SchemaNotFound() => new(404, 40403, "Schema not found");

    public static RegistryError SchemaNotFound(int id) => new(404, 40403, $"Schema {id} not found");

    public static RegistryError SubjectLevelCompatibilityNotConfigured(string subject) =>
        new(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    public static RegistryError IncompatibleSchema(string subject, IReadOnlyList<string> details) =>
        new(409, 409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join(", ", details)}]");

    /// <summary>The <c>error_code</c> of an empty, unparsable or unsupported schema.</summary>
    public const int InvalidSchemaCode = 42201;

    public static RegistryError InvalidSchema(string message) => new(422, InvalidSchemaCode, message);

    public static RegistryError InvalidVersion(string version) =>
        new(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static RegistryError InvalidCompatibilityLevel() =>
        new(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");

    /// <summary>A body that is not JSON, or JSON of the wrong shape (Confluent's Jackson exception mappers).</summary>
    public static RegistryError MalformedBody(string message) => new(400, 400, message);

    public static RegistryError Unauthorized() => new(401, 401, "Unauthorized");

    public static RegistryError NotFound() => new(404, 404, "HTTP 404 Not Found");

    public static RegistryError MethodNotAllowed() => new(405, 405, "HTTP 405 Method Not Allowed");

    public static RegistryError UnsupportedMediaType() => new(415, 415, "HTTP 415 Unsupported Media Type");

    public static RegistryError Internal(string message) => new(500, 500, message);

    /// <summary>The error for a status code the pipeline set without a body (unmatched route, wrong method...).</summary>
    public static RegistryError ForStatus(int status) => status switch
    {
        404 => NotFound(),
        405 => MethodNotAllowed(),
        415 => UnsupportedMediaType(),
        401 => Unauthorized(),
        _ => new RegistryError(status, status, $"HTTP {status}"),
    };
}
