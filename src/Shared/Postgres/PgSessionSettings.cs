using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The session settings (GUCs) under which PostgreSQL's text output has the forms the decoders read, whatever the
/// server's defaults: <c>DateStyle=ISO</c>, <c>IntervalStyle=iso_8601</c>, <c>TimeZone=UTC</c>,
/// <c>extra_float_digits=3</c>, <c>bytea_output=hex</c>, <c>lc_monetary=C</c>.
/// </summary>
/// <remarks>
/// They travel in the startup packet's <c>options</c> (Npgsql's <c>Options</c> connection string keyword), so they
/// apply from the first statement on and also to a walsender: pgoutput formats text values with the walsender
/// session's settings. Every connection whose text values reach <see cref="PgColumnDecoder"/> must use them: the
/// replication connection and the snapshot connection of the source. A transaction-mode connection pooler (PgBouncer)
/// refuses the <c>options</c> startup parameter and hands each transaction to any server session, so a connection that
/// may go through one sets them at the start of every transaction instead (<see cref="SetLocalSql"/>: the sink).
/// </remarks>
public static class PgSessionSettings
{
    /// <summary>The <c>Options</c> value pinning the settings.</summary>
    public const string Options =
        "-c DateStyle=ISO -c IntervalStyle=iso_8601 -c TimeZone=UTC -c extra_float_digits=3 -c bytea_output=hex -c lc_monetary=C";

    /// <summary>The settings as name and value, e.g. for checking them with <c>SHOW</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings { get; } =
    [
        new("DateStyle", "ISO"),
        new("IntervalStyle", "iso_8601"),
        new("TimeZone", "UTC"),
        new("extra_float_digits", "3"),
        new("bytea_output", "hex"),
        new("lc_monetary", "C"),
    ];

    /// <summary>
    /// One statement setting every one of <see cref="Settings"/> for the current transaction only (<c>SET LOCAL</c>, as
    /// <c>set_config(..., true)</c>): nothing outlives the transaction, whichever server session a pooler gave it.
    /// </summary>
    public static string SetLocalSql { get; } =
        "SELECT " + string.Join(", ", Settings.Select(s => $"pg_catalog.set_config('{s.Key}', '{s.Value}', true)"));

    /// <summary>
    /// <paramref name="connectionString"/> with <see cref="Options"/> added to its <c>Options</c> (after any already
    /// there, so these win for the settings they name).
    /// </summary>
    public static string Pin(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? Options : builder.Options + " " + Options;
        return builder.ConnectionString;
    }
}
