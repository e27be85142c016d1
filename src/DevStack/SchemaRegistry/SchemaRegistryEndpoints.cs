using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.SchemaRegistry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// The REST resources of Confluent Schema Registry that the connectors use, over a <see cref="SchemaStore"/>.
/// Handlers throw <see cref="RegistryError"/>; <see cref="SchemaRegistryServer"/> turns it into the answer.
/// </summary>
sealed class SchemaRegistryEndpoints(SchemaStore store, ILogger logger)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", context => RegistryHttp.WriteAsync(context, new JsonObject()));
        routes.MapGet("/schemas/types", context => RegistryHttp.WriteAsync(context, new JsonArray("AVRO")));
        routes.MapGet("/schemas/ids/{id}", SchemaById);

        routes.MapGet("/subjects", context => RegistryHttp.WriteAsync(context, Array(store.Subjects())));
        routes.MapPost("/subjects/{subject}", Lookup);
        routes.MapGet("/subjects/{subject}/versions",
            context => RegistryHttp.WriteAsync(context, Array(store.Versions(RegistryHttp.Route(context, "subject")))));
        routes.MapPost("/subjects/{subject}/versions", Register);
        routes.MapGet("/subjects/{subject}/versions/{version}", Version);
        routes.MapGet("/subjects/{subject}/versions/{version}/schema", VersionSchema);

        routes.MapPost("/compatibility/subjects/{subject}/versions", context => TestCompatibility(context, allVersions: true));
        routes.MapPost("/compatibility/subjects/{subject}/versions/{version}", context => TestCompatibility(context, allVersions: false));

        routes.MapGet("/config", context => RegistryHttp.WriteAsync(context, Level("compatibilityLevel", store.GlobalLevel)));
        routes.MapPut("/config", PutGlobalConfig);
        routes.MapGet("/config/{subject}", SubjectConfig);
        routes.MapPut("/config/{subject}", PutSubjectConfig);
    }

    Task SchemaById(HttpContext context)
    {
        // JAX-RS answers a path parameter that does not convert to its Integer type with a plain 404.
        if (!int.TryParse(RegistryHttp.Route(context, "id"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            throw RegistryError.NotFound();
        return RegistryHttp.WriteAsync(context, new JsonObject { ["schema"] = store.SchemaById(id) });
    }

    async Task Register(HttpContext context)
    {
        var subject = RegistryHttp.Route(context, "subject");
        var schema = RegistryHttp.SchemaOf(await RegistryHttp.ReadObjectAsync(context));
        var id = store.Register(subject, schema);
        SchemaRegistryServerLog.Registered(logger, subject, id);
        await RegistryHttp.WriteAsync(context, new JsonObject { ["id"] = id });
    }

    async Task Lookup(HttpContext context)
    {
        var subject = RegistryHttp.Route(context, "subject");
        var schema = RegistryHttp.SchemaOf(await RegistryHttp.ReadObjectAsync(context));
        await RegistryHttp.WriteAsync(context, Describe(store.Lookup(subject, schema)));
    }

    Task Version(HttpContext context)
    {
        var version = store.Version(RegistryHttp.Route(context, "subject"), RegistryHttp.VersionOf(RegistryHttp.Route(context, "version")));
        return RegistryHttp.WriteAsync(context, Describe(version));
    }

    Task VersionSchema(HttpContext context)
    {
        // The schema itself rather than a JSON string holding it, as Confluent answers this resource.
        var version = store.Version(RegistryHttp.Route(context, "subject"), RegistryHttp.VersionOf(RegistryHttp.Route(context, "version")));
        return RegistryHttp.WriteAsync(context, JsonNode.Parse(version.Schema)!);
    }

    /// <summary>
    /// Confluent's order: the body (415, 400), the version segment (42202), the version (40402), then the schema, whose
    /// faults (42201) become the one message of an incompatible answer with <c>?verbose=true</c>. The check runs outside
    /// the store's lock.
    /// </summary>
    async Task TestCompatibility(HttpContext context, bool allVersions)
    {
        var subject = RegistryHttp.Route(context, "subject");
        var verbose = RegistryHttp.Flag(context, "verbose");
        var body = await RegistryHttp.ReadObjectAsync(context);
        var (level, versions) = allVersions
            ? store.CompatibilityTarget(subject)
            : store.CompatibilityTarget(subject, RegistryHttp.VersionOf(RegistryHttp.Route(context, "version")));
        List<string> messages;
        try
        {
            messages = CompatibilityReport.Check(level, RegistryHttp.SchemaOf(body), versions);
        }
        catch (RegistryError invalid) when (verbose && invalid.ErrorCode == RegistryError.InvalidSchemaCode)
        {
            messages = [invalid.Message];
        }

        var answer = new JsonObject { ["is_compatible"] = messages.Count == 0 };
        if (verbose) answer["messages"] = Array(messages);
        await RegistryHttp.WriteAsync(context, answer);
    }

    async Task PutGlobalConfig(HttpContext context)
    {
        store.GlobalLevel = await LevelOf(context);
        await RegistryHttp.WriteAsync(context, Level("compatibility", store.GlobalLevel));
    }

    Task SubjectConfig(HttpContext context)
    {
        var subject = RegistryHttp.Route(context, "subject");
        var level = store.SubjectLevel(subject);
        if (level is null && !RegistryHttp.Flag(context, "defaultToGlobal"))
            throw RegistryError.SubjectLevelCompatibilityNotConfigured(subject);
        return RegistryHttp.WriteAsync(context, Level("compatibilityLevel", level ?? store.GlobalLevel));
    }

    async Task PutSubjectConfig(HttpContext context)
    {
        var level = await LevelOf(context);
        store.SetSubjectLevel(RegistryHttp.Route(context, "subject"), level);
        await RegistryHttp.WriteAsync(context, Level("compatibility", level));
    }

    static async Task<Compatibility> LevelOf(HttpContext context)
    {
        var body = await RegistryHttp.ReadObjectAsync(context);
        return ConfluentCompatibilityLevel.TryParse(RegistryHttp.OptionalString(body, "compatibility"), out var level)
            ? level
            : throw RegistryError.InvalidCompatibilityLevel();
    }

    static JsonObject Level(string member, Compatibility level) =>
        new() { [member] = ConfluentCompatibilityLevel.Name(level) };

    static JsonObject Describe(SubjectVersion version) => new()
    {
        ["subject"] = version.Subject,
        ["version"] = version.Version,
        ["id"] = version.Id,
        ["schema"] = version.Schema,
    };

    static JsonArray Array<T>(IEnumerable<T> items) => new([.. items.Select(i => JsonValue.Create(i))]);
}
