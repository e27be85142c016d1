using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using Microsoft.AspNetCore.Http;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>Reading request bodies and writing answers the way Confluent Schema Registry's REST layer does.</summary>
static class RegistryHttp
{
    /// <summary>The content type of every answer.</summary>
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    // Confluent's resources consume these; a request without a content type is read as JSON too.
    static readonly string[] s_acceptedRequestTypes =
        [ContentType, "application/vnd.schemaregistry+json", "application/json", "application/octet-stream"];

    static readonly JsonSerializerOptions s_output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads the body as a JSON object.</summary>
    /// <exception cref="RegistryError">415 for another content type; 400 when the body is not a JSON object.</exception>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (!string.IsNullOrEmpty(contentType)
            && (!MediaTypeHeaderValue.TryParse(contentType, out var media)
                || !s_acceptedRequestTypes.Contains(media.MediaType, StringComparer.OrdinalIgnoreCase)))
        {
            throw RegistryError.UnsupportedMediaType();
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw RegistryError.MalformedBody($"Unrecognized JSON in the request body: {e.Message}");
        }

        return node as JsonObject
               ?? throw RegistryError.MalformedBody($"The request body must be a JSON object, not {Describe(node)}");
    }

    /// <summary>A string member of the body; null when absent or JSON null.</summary>
    /// <exception cref="RegistryError">400 when present with another JSON type.</exception>
    public static string? OptionalString(JsonObject body, string name)
    {
        var value = body[name];
        if (value is null) return null;
        if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text)) return text;
        throw RegistryError.MalformedBody($"Field \"{name}\" must be a string, not {Describe(value)}");
    }

    /// <summary>
    /// The Avro schema of a register, lookup or compatibility request: <c>schema</c> (the schema's JSON as a
    /// string), optional <c>schemaType</c> (only <c>AVRO</c>), optional empty <c>references</c>.
    /// </summary>
    /// <exception cref="RegistryError">42201 for an empty, invalid or non-Avro schema.</exception>
    public static Schema SchemaOf(JsonObject body)
    {
        var schemaType = OptionalString(body, "schemaType");
        if (schemaType is not null && !string.Equals(schemaType, "AVRO", StringComparison.OrdinalIgnoreCase))
            throw RegistryError.InvalidSchema($"Invalid schema type {schemaType}: this registry supports only AVRO");
        if (body["references"] is JsonArray { Count: > 0 })
            throw RegistryError.InvalidSchema("Schema references are not supported by this registry");

        var text = OptionalString(body, "schema");
        if (string.IsNullOrWhiteSpace(text)) throw RegistryError.InvalidSchema("Empty schema");
        try
        {
            return Schema.Parse(text);
        }
        catch (AvroException e)
        {
            throw RegistryError.InvalidSchema($"Invalid schema: {e.Message}");
        }
    }

    /// <summary>
    /// A version path segment as Confluent's <c>VersionId</c> reads it (blanks trimmed, a sign allowed): a number from 1,
    /// or <c>latest</c> (any case) / <c>-1</c>, which give null.
    /// </summary>
    /// <exception cref="RegistryError">42202 otherwise.</exception>
    public static int? VersionOf(string text)
    {
        var trimmed = text.Trim();
        if (string.Equals(trimmed, "latest", StringComparison.OrdinalIgnoreCase)) return null;
        if (!int.TryParse(trimmed, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var version)
            || version is 0 or < -1)
        {
            throw RegistryError.InvalidVersion(text);
        }
        return version == -1 ? null : version;
    }

    /// <summary>A route value; the router only matches when it is present.</summary>
    public static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    /// <summary>Whether query parameter <paramref name="name"/> is <c>true</c>.</summary>
    public static bool Flag(HttpContext context, string name) =>
        bool.TryParse(context.Request.Query[name].ToString(), out var value) && value;

    /// <summary>Answers <paramref name="body"/> with status 200.</summary>
    public static Task WriteAsync(HttpContext context, JsonNode body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(body.ToJsonString(s_output), context.RequestAborted);
    }

    /// <summary>Answers a Confluent error body <c>{"error_code": ..., "message": ...}</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, RegistryError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = ContentType;
        if (error.Status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = BasicAuthentication.Challenge;
        var body = new JsonObject { ["error_code"] = error.ErrorCode, ["message"] = error.Message };
        return context.Response.WriteAsync(body.ToJsonString(s_output), context.RequestAborted);
    }

    static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        _ => $"a {node.GetValueKind().ToString().ToLowerInvariant()}",
    };
}
