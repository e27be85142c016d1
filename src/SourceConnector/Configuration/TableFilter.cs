namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>
/// Which published tables are captured: <c>table.include.list</c> and <c>table.include.file</c> entries, each a
/// schema (every table in it) or a <c>schema.table</c>; no entries captures every table the publication publishes.
/// The connector's own heartbeat and signal tables are never captured unless named as <c>schema.table</c>.
/// </summary>
/// <remarks>
/// Names follow SQL: unquoted parts are folded to lower case, double-quoted parts are exact
/// (<c>"Sales"."Order.Items"</c>).
/// </remarks>
internal sealed class TableFilter
{
    readonly IReadOnlyList<string> _schemas;
    readonly IReadOnlyList<TableName> _tables;

    TableFilter(IReadOnlyList<string> schemas, IReadOnlyList<TableName> tables)
    {
        _schemas = schemas;
        _tables = tables;
    }

    /// <summary>A filter capturing every published table.</summary>
    public static TableFilter All { get; } = new([], []);

    /// <summary>True when no entries were given: every published table is captured.</summary>
    public bool IncludesEverything => _schemas.Count == 0 && _tables.Count == 0;

    /// <summary>The schemas named as a whole.</summary>
    public IReadOnlyList<string> Schemas => _schemas;

    /// <summary>The tables named one by one.</summary>
    public IReadOnlyList<TableName> Tables => _tables;

    /// <summary>Whether the filter captures <paramref name="table"/> (before the heartbeat/signal exclusion).</summary>
    public bool Includes(TableName table) =>
        IncludesEverything || _tables.Contains(table) || _schemas.Contains(table.Schema, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="table"/> is named as <c>schema.table</c> (not just through its schema).</summary>
    public bool NamesExplicitly(TableName table) => _tables.Contains(table);

    /// <summary>
    /// Parses the entries of the list and of the file's lines. A file line is one entry, or <c>schema,table</c> as
    /// two CSV columns; blank lines are skipped.
    /// </summary>
    /// <param name="listEntries">The comma-separated list's items.</param>
    /// <param name="fileLines">The file's lines, or null when no file is configured.</param>
    /// <param name="problem">Called with the config key and message of each bad entry.</param>
    public static TableFilter Parse(IReadOnlyList<string> listEntries, IReadOnlyList<string>? fileLines, Action<string, string> problem)
    {
        var schemas = new List<string>();
        var tables = new List<TableName>();
        foreach (var entry in listEntries) Add(entry, SourceOptions.TableIncludeListKey);
        var lineNumber = 0;
        foreach (var line in fileLines ?? [])
        {
            lineNumber++;
            var text = line.Trim().TrimEnd(',');
            if (text.Length == 0) continue;
            var columns = SplitCsv(text);
            if (columns.Count == 2) text = columns[0] + "." + columns[1];
            else if (columns.Count > 2)
            {
                problem(SourceOptions.TableIncludeFileKey, $"line {lineNumber}: '{line}' has more than two columns; write schema,table or schema.table");
                continue;
            }
            Add(text, $"{SourceOptions.TableIncludeFileKey} (line {lineNumber})");
        }
        return new TableFilter(schemas.Distinct(StringComparer.Ordinal).ToList(), tables.Distinct().ToList());

        void Add(string entry, string key)
        {
            var parts = IdentifierPath.Split(entry, out var message);
            if (parts is null)
            {
                problem(key, message!);
                return;
            }
            switch (parts.Count)
            {
                case 1:
                    schemas.Add(parts[0]);
                    break;
                case 2:
                    tables.Add(new TableName(parts[0], parts[1]));
                    break;
                default:
                    problem(key, $"'{entry}' has {parts.Count} parts; write a schema or schema.table (quote names holding dots: \"a.b\")");
                    break;
            }
        }
    }

    /// <summary>Splits a CSV line on commas outside double quotes, keeping the quotes (they are SQL quotes too).</summary>
    static List<string> SplitCsv(string line)
    {
        var columns = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == ',' && !quoted)
            {
                columns.Add(line[start..i].Trim());
                start = i + 1;
            }
        }
        columns.Add(line[start..].Trim());
        return columns;
    }

    /// <inheritdoc />
    public override string ToString() =>
        IncludesEverything ? "every published table" : string.Join(", ", _schemas.Select(s => s + ".*").Concat(_tables.Select(t => t.ToString())));
}
