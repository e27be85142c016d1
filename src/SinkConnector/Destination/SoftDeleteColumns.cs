using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Configuration;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// The two columns <c>delete.mode=soft</c> keeps deleted rows with: the flag (<c>delete.soft.column</c>, <c>__deleted</c>,
/// <c>boolean NOT NULL DEFAULT false</c>, so rows written without naming it, COPY in insert mode, existing rows when it
/// is added, read as not deleted) and the time (<c>delete.soft.timestamp.column</c>, <c>__deleted_at</c>,
/// <c>timestamp with time zone</c>, NULL until deleted). <see cref="SchemaEvolution"/> creates or adds them; the writers
/// take their SQL fragments from here. Neither is ever in a <see cref="RecordShape"/>: a record carrying a field of
/// either name is refused (<see cref="Collisions"/>).
/// </summary>
public sealed class SoftDeleteColumns
{
    /// <summary>The columns named <paramref name="flag"/> and <paramref name="time"/>.</summary>
    public SoftDeleteColumns(string flag, string time)
    {
        Flag = flag;
        Time = time;
        QuotedFlag = PgIdentifier.Quote(flag);
        QuotedTime = PgIdentifier.Quote(time);
        Definitions = [$"{QuotedFlag} boolean NOT NULL DEFAULT false", $"{QuotedTime} timestamp with time zone"];
        Unmark = $"{QuotedFlag} = false, {QuotedTime} = NULL";
    }

    /// <summary>The columns of <paramref name="options"/>, or null unless <c>delete.mode=soft</c>.</summary>
    public static SoftDeleteColumns? For(SinkOptions options) =>
        options.DeleteMode == DeleteMode.Soft ? new SoftDeleteColumns(options.SoftDeleteColumns.Flag, options.SoftDeleteColumns.Time) : null;

    /// <summary>The flag's name.</summary>
    public string Flag { get; }

    /// <summary>The time's name.</summary>
    public string Time { get; }

    /// <summary>The flag, quoted.</summary>
    public string QuotedFlag { get; }

    /// <summary>The time, quoted.</summary>
    public string QuotedTime { get; }

    /// <summary>The column definitions for CREATE TABLE and ADD COLUMN.</summary>
    public IReadOnlyList<string> Definitions { get; }

    /// <summary>The SET list that un-marks a row (an insert or update of its key).</summary>
    public string Unmark { get; }

    /// <summary>The SET list that marks a row deleted at <paramref name="microseconds"/> (an SQL expression of text or bigint; NULL gives a NULL time).</summary>
    public string Mark(string microseconds) => $"{QuotedFlag} = true, {QuotedTime} = {Timestamp(microseconds)}";

    /// <summary>The <c>timestamptz</c> of <paramref name="microseconds"/> since the Unix epoch, exact (no floating point).</summary>
    public static string Timestamp(string microseconds) => $"(timestamptz 'epoch' + ({microseconds})::bigint * interval '1 microsecond')";

    /// <summary>Why records of <paramref name="shape"/> cannot be written with soft deletes: a field of either name.</summary>
    public IEnumerable<string> Collisions(RecordShape shape) =>
        shape.Columns.Concat(shape.GeneratedColumns).Where(c => c.Name == Flag || c.Name == Time).Select(c =>
            $"the records carry column \"{c.Name}\", which delete.mode=soft uses for its {(c.Name == Flag ? "flag (delete.soft.column)" : "time (delete.soft.timestamp.column)")}; " +
            "set delete.soft.column / delete.soft.timestamp.column to names the source does not use");

    /// <summary>
    /// The definitions of the columns <paramref name="table"/> lacks; a column of either name there of another type
    /// goes into <paramref name="differences"/>.
    /// </summary>
    public List<string> Missing(DestinationTable table, List<string> differences)
    {
        var missing = new List<string>();
        foreach (var (name, type, definition) in new[] { (Flag, "boolean", Definitions[0]), (Time, "timestamp with time zone", Definitions[1]) })
        {
            if (table.Find(name) is not { } existing) missing.Add(definition);
            else if (existing.Type != type || existing.IsGenerated)
                differences.Add($"column \"{name}\" is {existing.Type}{(existing.IsGenerated ? " (generated)" : "")} here, but delete.mode=soft writes it as {type}");
        }
        return missing;
    }
}
