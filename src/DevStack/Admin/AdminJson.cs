using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaCdc.DevStack.Admin;

/// <summary>The JSON conventions of the admin endpoint, shared by the server and <see cref="DevStackAdminClient"/>.</summary>
internal static class AdminJson
{
    /// <summary>camelCase; enums as names (numbers accepted); missing, null or unknown members rejected.</summary>
    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
