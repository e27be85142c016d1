using System.Text.Json.Serialization;

namespace KafkaCdc.Shared.SchemaRegistry;

// The request and answer bodies of Confluent Schema Registry's REST API, as this client uses them.

sealed record SchemaRequest([property: JsonPropertyName("schema")] string Schema);

sealed record RegisterAnswer([property: JsonPropertyName("id")] int Id);

sealed record SchemaAnswer([property: JsonPropertyName("schema")] string Schema);

sealed record SubjectVersionAnswer(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("schema")] string Schema);

sealed record CompatibilityAnswer(
    [property: JsonPropertyName("is_compatible")] bool IsCompatible,
    [property: JsonPropertyName("messages")] List<string>? Messages);

sealed record ConfigRequest([property: JsonPropertyName("compatibility")] string Compatibility);

sealed record ConfigAnswer(
    [property: JsonPropertyName("compatibilityLevel")] string? CompatibilityLevel,
    [property: JsonPropertyName("compatibility")] string? Compatibility);

sealed record ErrorAnswer(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(SchemaRequest))]
[JsonSerializable(typeof(RegisterAnswer))]
[JsonSerializable(typeof(SchemaAnswer))]
[JsonSerializable(typeof(SubjectVersionAnswer))]
[JsonSerializable(typeof(CompatibilityAnswer))]
[JsonSerializable(typeof(ConfigRequest))]
[JsonSerializable(typeof(ConfigAnswer))]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<int>))]
sealed partial class RegistryJsonContext : JsonSerializerContext;
