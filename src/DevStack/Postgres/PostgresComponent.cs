using System.Globalization;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.Postgres;

/// <summary>
/// The dev stack's PostgreSQL: a <see cref="TemporaryPostgres"/>, published as an Npgsql connection string
/// (<see cref="DevStackVariables.PostgresConnectionString"/>) and as libpq's <c>PG*</c> variables for psql.
/// </summary>
public sealed class PostgresComponent : IDevStackComponent
{
    readonly ILogger _logger;
    TemporaryPostgres? _server;

    /// <summary>A component that will start a throwaway server.</summary>
    public PostgresComponent(ILogger logger) => _logger = logger;

    /// <inheritdoc />
    public string Name => "postgres";

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> StartAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        _server = await TemporaryPostgres.StartAsync(cancellationToken);
        Log.PostgresStarted(_logger, _server.Port);
        return
        [
            new(DevStackVariables.PostgresConnectionString, _server.ConnectionString),
            new(DevStackVariables.PgHost, "127.0.0.1"),
            new(DevStackVariables.PgPort, _server.Port.ToString(CultureInfo.InvariantCulture)),
            new(DevStackVariables.PgUser, TemporaryPostgres.SuperUser),
            new(DevStackVariables.PgPassword, _server.Password),
            new(DevStackVariables.PgDatabase, "postgres"),
        ];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
