namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>
/// One row's column values as PostgreSQL's text output (null for SQL NULL), in the table's column order, copied
/// out of the replication message or snapshot reader that produced them. Owned by the event holding it.
/// </summary>
/// <param name="Values">The text values, one per column.</param>
/// <param name="UnchangedToast">
/// Null, or one flag per column: true where the value is an unchanged TOASTed value that the WAL did not carry
/// (pgoutput's <c>u</c>); the record then holds the contract's placeholder there.
/// </param>
internal sealed record RowImage(string?[] Values, bool[]? UnchangedToast = null)
{
    /// <summary>
    /// <paramref name="after"/> with its unchanged TOASTed values taken from <paramref name="fullOldRow"/>. With REPLICA
    /// IDENTITY FULL, PostgreSQL logs the old row with TOASTed values inlined, so an update needs no placeholder at all
    /// (not even one that changes the key, where the sink has no stored value to keep).
    /// </summary>
    public static RowImage WithUnchangedToastFrom(RowImage after, RowImage fullOldRow)
    {
        if (after.UnchangedToast is not { } unchanged || fullOldRow.Values.Length != after.Values.Length) return after;
        var values = (string?[])after.Values.Clone();
        bool[]? stillUnchanged = null;
        for (var i = 0; i < unchanged.Length; i++)
        {
            if (!unchanged[i]) continue;
            if (fullOldRow.UnchangedToast is { } oldUnchanged && oldUnchanged[i])
                (stillUnchanged ??= new bool[unchanged.Length])[i] = true;
            else
                values[i] = fullOldRow.Values[i];
        }
        return new RowImage(values, stillUnchanged);
    }

    /// <summary>Whether any value is an unchanged TOASTed value (not in the WAL).</summary>
    public bool HasUnchangedToast => UnchangedToast is { } unchanged && Array.IndexOf(unchanged, true) >= 0;
}
