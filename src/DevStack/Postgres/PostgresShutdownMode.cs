namespace KafkaCdc.DevStack.Postgres;

/// <summary>
/// How <see cref="TemporaryPostgres.StopAsync"/> stops the server: <c>pg_ctl stop -m</c>'s modes
/// (<see href="https://www.postgresql.org/docs/current/app-pg-ctl.html">pg_ctl</see>).
/// </summary>
public enum PostgresShutdownMode
{
    /// <summary>Waits for every client to disconnect, then checkpoints.</summary>
    Smart,

    /// <summary>Ends every session (SQLSTATE 57P01 to its client), lets WAL senders send what is written, checkpoints.</summary>
    Fast,

    /// <summary>Kills every server process without a checkpoint, as a crash does: the next start recovers from the WAL.</summary>
    Immediate,
}
