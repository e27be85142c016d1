namespace KafkaCdc.SinkConnector.Configuration;

/// <summary><c>insert.mode</c>: how rows reach the destination table.</summary>
public enum InsertMode
{
    /// <summary>Idempotent: <c>INSERT ... ON CONFLICT (key) DO UPDATE</c>; replaying any suffix of a topic leaves the same state.</summary>
    Upsert,

    /// <summary>Append only: plain inserts (COPY straight into the table), for append-only tables.</summary>
    Insert,
}
