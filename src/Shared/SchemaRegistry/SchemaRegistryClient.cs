using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Avro;
using KafkaCdc.Shared.AvroFormat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// <see cref="ISchemaRegistryClient"/> over HTTP, with retries, URL failover and caches
/// (see <see cref="SchemaRegistryClientOptions"/>).
/// </summary>
/// <remarks>
/// <para>Caches, kept for the client's lifetime: schemas by id (a registry never changes the schema of an id) and
/// ids by (subject, schema text) from registrations, so registering a known schema again costs no request.
/// Concurrent requests for the same id or the same registration share one HTTP request. Nothing else is cached.</para>
/// <para>Thread-safe. Credentials go only into the <c>Authorization</c> header, never into messages or logs.</para>
/// </remarks>
public sealed class SchemaRegistryClient : ISchemaRegistryClient, IDisposable
{
    readonly RegistryTransport _transport;
    readonly ILogger _logger;
    readonly CancellationTokenSource _lifetime = new();
    int _disposed;
    readonly CoalescingCache<int, string> _schemasById;
    readonly CoalescingCache<(string Subject, string Schema), int> _idsBySchema;

    /// <summary>Creates a client; no request is sent until a method is called.</summary>
    /// <param name="options">The registry URLs, credentials, timeout and retry settings.</param>
    /// <param name="loggerFactory">For retry and failover warnings, and requests at Debug; none when null.</param>
    /// <param name="handler">
    /// The HTTP handler to send with (e.g. a test's fault-injecting <see cref="DelegatingHandler"/>); the client
    /// disposes it. A <see cref="SocketsHttpHandler"/> when null.
    /// </param>
    /// <exception cref="ArgumentException">The options are unusable; the message names the option.</exception>
    public SchemaRegistryClient(SchemaRegistryClientOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SchemaRegistryClient>();
        _transport = new RegistryTransport(options, handler, _logger);
        _schemasById = new(_lifetime.Token);
        _idsBySchema = new(_lifetime.Token);
    }

    /// <inheritdoc />
    public Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        return _idsBySchema.GetAsync((subject, schema), async (key, lifetime) =>
        {
            var answer = await _transport.SendAsync(HttpMethod.Post, $"subjects/{Escaped(key.Subject)}/versions",
                Body(new SchemaRequest(key.Schema), RegistryJsonContext.Default.SchemaRequest), RegistryJsonContext.Default.RegisterAnswer,
                new RegistryOperation($"registering a schema under subject \"{key.Subject}\"", key.Subject), lifetime);
            SchemaRegistryLog.Registered(_logger, key.Subject, answer.Id);
            return answer.Id;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> LookupSchemaAsync(string subject, string schema, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        var answer = await _transport.SendAsync(HttpMethod.Post, $"subjects/{Escaped(subject)}",
            Body(new SchemaRequest(schema), RegistryJsonContext.Default.SchemaRequest), RegistryJsonContext.Default.SubjectVersionAnswer,
            new RegistryOperation($"looking up a schema under subject \"{subject}\"", subject), cancellationToken);
        return new RegisteredSchema(answer.Subject, answer.Id, answer.Version, answer.Schema);
    }

    /// <inheritdoc />
    public Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken) =>
        _schemasById.GetAsync(id, async (key, lifetime) =>
        {
            var answer = await _transport.SendAsync(HttpMethod.Get, $"schemas/ids/{key}", null, RegistryJsonContext.Default.SchemaAnswer,
                new RegistryOperation($"getting schema id {key}", SchemaId: key), lifetime);
            return answer.Schema;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken) =>
        await _transport.SendAsync(HttpMethod.Get, "subjects", null, RegistryJsonContext.Default.ListString,
            new RegistryOperation("listing subjects"), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return await _transport.SendAsync(HttpMethod.Get, $"subjects/{Escaped(subject)}/versions", null, RegistryJsonContext.Default.ListInt32,
            new RegistryOperation($"listing the versions of subject \"{subject}\"", subject), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> GetVersionAsync(string subject, SchemaVersion version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var answer = await _transport.SendAsync(HttpMethod.Get, $"subjects/{Escaped(subject)}/versions/{version}", null,
            RegistryJsonContext.Default.SubjectVersionAnswer,
            new RegistryOperation($"getting version {version} of subject \"{subject}\"", subject), cancellationToken);
        return new RegisteredSchema(answer.Subject, answer.Id, answer.Version, answer.Schema);
    }

    /// <inheritdoc />
    public async Task<CompatibilityTestResult> TestCompatibilityAsync(string subject, string schema, SchemaVersion version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        var answer = await _transport.SendAsync(HttpMethod.Post, $"compatibility/subjects/{Escaped(subject)}/versions/{version}?verbose=true",
            Body(new SchemaRequest(schema), RegistryJsonContext.Default.SchemaRequest), RegistryJsonContext.Default.CompatibilityAnswer,
            new RegistryOperation($"testing a schema's compatibility with version {version} of subject \"{subject}\"", subject), cancellationToken);
        return new CompatibilityTestResult(answer.IsCompatible, answer.Messages ?? []);
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel> GetCompatibilityLevelAsync(CancellationToken cancellationToken)
    {
        var operation = new RegistryOperation("getting the global compatibility level");
        var answer = await _transport.SendAsync(HttpMethod.Get, "config", null, RegistryJsonContext.Default.ConfigAnswer, operation, cancellationToken);
        return LevelOf(answer, operation);
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel?> GetCompatibilityLevelAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var operation = new RegistryOperation($"getting the compatibility level of subject \"{subject}\"", subject);
        try
        {
            var answer = await _transport.SendAsync(HttpMethod.Get, $"config/{Escaped(subject)}", null, RegistryJsonContext.Default.ConfigAnswer,
                operation, cancellationToken);
            return LevelOf(answer, operation);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode is 40408 or 40401)
        {
            // 40408: no subject-level setting (Confluent 7); 40401: older registries say the subject is unknown.
            return null;
        }
    }

    /// <inheritdoc />
    public Task SetCompatibilityLevelAsync(CompatibilityLevel level, CancellationToken cancellationToken) =>
        _transport.SendAsync(HttpMethod.Put, "config",
            Body(new ConfigRequest(ConfluentCompatibilityLevel.Name(level)), RegistryJsonContext.Default.ConfigRequest),
            RegistryJsonContext.Default.ConfigAnswer, new RegistryOperation("setting the global compatibility level"), cancellationToken);

    /// <inheritdoc />
    public Task SetCompatibilityLevelAsync(string subject, CompatibilityLevel level, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return _transport.SendAsync(HttpMethod.Put, $"config/{Escaped(subject)}",
            Body(new ConfigRequest(ConfluentCompatibilityLevel.Name(level)), RegistryJsonContext.Default.ConfigRequest),
            RegistryJsonContext.Default.ConfigAnswer,
            new RegistryOperation($"setting the compatibility level of subject \"{subject}\"", subject), cancellationToken);
    }

    /// <summary>Cancels fetches in progress and closes the HTTP connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _lifetime.Cancel();
        _transport.Dispose();
        _lifetime.Dispose();
    }

    static CompatibilityLevel LevelOf(ConfigAnswer answer, RegistryOperation operation)
    {
        var name = answer.CompatibilityLevel ?? answer.Compatibility;
        return ConfluentCompatibilityLevel.TryParse(name, out var level)
            ? level
            : throw new SchemaRegistryException(
                $"{operation.Sentence} failed: the registry answered the unknown compatibility level '{name}'",
                System.Net.HttpStatusCode.OK, 0, $"unknown compatibility level '{name}'", operation.Subject);
    }

    static byte[] Body<T>(T body, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(body, type);

    static string Escaped(string subject) => Uri.EscapeDataString(subject);
}
