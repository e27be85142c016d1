using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// The schema registry operations the connectors use, over
/// <see href="https://docs.confluent.io/platform/current/schema-registry/develop/api.html">Confluent Schema
/// Registry's REST API</see>. Implementations are thread-safe.
/// </summary>
/// <remarks>
/// Schemas are passed as JSON text, Avro only. Every failure is a <see cref="SchemaRegistryException"/> saying
/// whether it is transient; cancellation is an <see cref="OperationCanceledException"/>.
/// </remarks>
public interface ISchemaRegistryClient
{
    /// <summary>
    /// Registers <paramref name="schema"/> under <paramref name="subject"/> (<c>POST /subjects/{subject}/versions</c>)
    /// and returns its id; the existing id when the subject already has this schema.
    /// </summary>
    /// <exception cref="SchemaRegistryException">409 when incompatible with the subject's earlier versions, 422 (42201) when invalid.</exception>
    Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken);

    /// <summary>The version of <paramref name="subject"/> holding <paramref name="schema"/> (<c>POST /subjects/{subject}</c>).</summary>
    /// <exception cref="SchemaRegistryException">404 with 40401 (no such subject) or 40403 (the subject lacks this schema).</exception>
    Task<RegisteredSchema> LookupSchemaAsync(string subject, string schema, CancellationToken cancellationToken);

    /// <summary>The schema with id <paramref name="id"/> (<c>GET /schemas/ids/{id}</c>).</summary>
    /// <exception cref="SchemaRegistryException">404 with 40403 when no schema has that id.</exception>
    Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken);

    /// <summary>Every subject (<c>GET /subjects</c>).</summary>
    Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken);

    /// <summary>The version numbers of <paramref name="subject"/> (<c>GET /subjects/{subject}/versions</c>).</summary>
    /// <exception cref="SchemaRegistryException">404 with 40401 when the subject does not exist.</exception>
    Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken);

    /// <summary>One version of <paramref name="subject"/> (<c>GET /subjects/{subject}/versions/{version}</c>).</summary>
    /// <exception cref="SchemaRegistryException">404 with 40401 (no such subject) or 40402 (no such version).</exception>
    Task<RegisteredSchema> GetVersionAsync(string subject, SchemaVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="schema"/> could be registered under <paramref name="subject"/>, checked against
    /// <paramref name="version"/> (<c>POST /compatibility/subjects/{subject}/versions/{version}?verbose=true</c>).
    /// </summary>
    Task<CompatibilityTestResult> TestCompatibilityAsync(string subject, string schema, SchemaVersion version, CancellationToken cancellationToken);

    /// <summary>The global compatibility level (<c>GET /config</c>).</summary>
    Task<CompatibilityLevel> GetCompatibilityLevelAsync(CancellationToken cancellationToken);

    /// <summary>The level set for <paramref name="subject"/> itself, or null when it follows the global level (<c>GET /config/{subject}</c>).</summary>
    Task<CompatibilityLevel?> GetCompatibilityLevelAsync(string subject, CancellationToken cancellationToken);

    /// <summary>Sets the global compatibility level (<c>PUT /config</c>).</summary>
    Task SetCompatibilityLevelAsync(CompatibilityLevel level, CancellationToken cancellationToken);

    /// <summary>Sets the compatibility level of <paramref name="subject"/> (<c>PUT /config/{subject}</c>).</summary>
    Task SetCompatibilityLevelAsync(string subject, CompatibilityLevel level, CancellationToken cancellationToken);
}
