namespace KafkaCdc.SinkConnector.Applying;

/// <summary>How a bound table's records are written.</summary>
public enum WriteMode
{
    /// <summary>Upsert with a primary key: reduce by key, stage with COPY, one INSERT ... ON CONFLICT and one DELETE per segment.</summary>
    SetBased,

    /// <summary>Insert mode, or no primary key: runs of new rows COPY straight into the table; deletes (and updates without a key) one by one, in order.</summary>
    Append,
}
