namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A schema is invalid: its JSON cannot be parsed, it breaks a rule of the Avro 1.11 specification, or a schema
/// built in code is inconsistent. The message names the offending type or field and, when parsing, the JSON path.
/// </summary>
public sealed class AvroSchemaException : AvroException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where, in words.</param>
    /// <param name="jsonPath">Where in the schema JSON the problem is (e.g. <c>$.fields[2].type</c>), when parsing.</param>
    /// <param name="innerException">The underlying error, e.g. the JSON reader's.</param>
    public AvroSchemaException(string message, string? jsonPath = null, Exception? innerException = null)
        : base(jsonPath is null ? message : $"{message} (at {jsonPath})", innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>The JSON path of the problem in the parsed schema text, or <see langword="null"/> for schemas built in code.</summary>
    public string? JsonPath { get; }
}
