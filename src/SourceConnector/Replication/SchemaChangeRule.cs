using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Decides whether a new version of a captured table means PostgreSQL changed existing rows without logging them row by
/// row, so the destination can only catch up through a backfill (an incremental snapshot of the table).
/// </summary>
/// <remarks>
/// <para>Three changes do that: a column whose type changed (<c>ALTER COLUMN … TYPE … USING …</c> rewrites every row,
/// and the expression may change every value); a column added with a default that is not a constant
/// (<c>DEFAULT now()</c>, <c>gen_random_uuid()</c>, <c>nextval(…)</c>, <c>'a' || 'b'</c>: PostgreSQL computes it for
/// every existing row in a rewrite); and a column gone together with a column new in the same change, which is how a
/// <c>RENAME COLUMN</c> looks (old rows hold the value under the old name only). Where both sides know the attribute
/// numbers, the same number names it a rename; either way the table is backfilled.</para>
/// <para>No backfill: a column added without a default or with a constant one (<see cref="PgConstantDefault"/>: the
/// sink gives the destination column the same default), a column only dropped (the destination keeps it), or any
/// other change (nullability, key, defaults of existing columns).</para>
/// </remarks>
internal static class SchemaChangeRule
{
    /// <summary>Why the change from <paramref name="previous"/> to <paramref name="current"/> needs a backfill, or null when it needs none.</summary>
    public static string? BackfillReason(IReadOnlyList<ColumnShape> previous, IReadOnlyList<ColumnShape> current)
    {
        var before = previous.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var after = current.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var reasons = new List<string>();
        var added = new List<ColumnShape>();
        foreach (var column in current)
        {
            if (!before.TryGetValue(column.Name, out var old))
                added.Add(column);
            else if (old.Type != column.Type)
                reasons.Add($"column \"{column.Name}\" changed type from {old.Type} to {column.Type} (the table was rewritten, a USING expression may have changed every value)");
        }
        foreach (var column in added.Where(c => c.DefaultExpression is not null && !PgConstantDefault.IsConstant(c.DefaultExpression)))
            reasons.Add($"column \"{column.Name}\" was added with the non-constant default {column.DefaultExpression} (computed for every existing row without logging it)");

        var gone = previous.Where(c => !after.Contains(c.Name)).ToList();
        if (gone.Count > 0 && added.Count > 0)
        {
            var renamed = gone.Where(g => g.AttributeNumber is not null)
                .Join(added.Where(a => a.AttributeNumber is not null), g => g.AttributeNumber, a => a.AttributeNumber, (g, a) => (From: g.Name, To: a.Name))
                .ToList();
            reasons.AddRange(renamed.Select(r => $"column \"{r.From}\" was renamed to \"{r.To}\" (existing rows hold its values under the old name only)"));
            var otherGone = gone.Where(g => renamed.All(r => r.From != g.Name)).ToList();
            var otherAdded = added.Where(a => renamed.All(r => r.To != a.Name)).ToList();
            if (otherGone.Count > 0 && otherAdded.Count > 0)
            {
                reasons.Add($"column(s) {Names(otherGone)} disappeared and {Names(otherAdded)} appeared in the same change " +
                            "(possibly a rename: existing rows would hold the values under the old name only)");
            }
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    static string Names(IEnumerable<ColumnShape> columns) => string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
}
