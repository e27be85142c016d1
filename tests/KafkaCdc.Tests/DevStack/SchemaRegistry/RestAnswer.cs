using System.Net;
using System.Text.Json.Nodes;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>A registry answer: status, body as JSON (null when empty), content type.</summary>
public readonly record struct RestAnswer(HttpStatusCode Status, JsonNode? Body, string? ContentType);
