using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>A table's exact schema and name, as PostgreSQL stores them (case and all).</summary>
/// <param name="Schema">The schema (namespace) name.</param>
/// <param name="Name">The table name.</param>
internal sealed record TableName(string Schema, string Name)
{
    /// <summary>The name as SQL writes it, each part quoted: <c>"public"."Orders"</c>.</summary>
    public string Quoted => PgIdentifier.Quote(Schema, Name);

    /// <summary>
    /// Parses <c>schema.table</c>, each part either a plain identifier (folded to lower case, as SQL does) or a
    /// double-quoted one (taken as written, <c>""</c> for a quote), so names with dots or capitals can be given.
    /// </summary>
    /// <returns>The name, or null with <paramref name="problem"/> set when the text is not a two-part name.</returns>
    public static TableName? TryParse(string text, out string? problem)
    {
        var parts = IdentifierPath.Split(text, out problem);
        if (parts is null) return null;
        if (parts.Count != 2)
        {
            problem = $"'{text}' is not a schema-qualified table name (schema.table)";
            return null;
        }
        return new TableName(parts[0], parts[1]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Schema}.{Name}";
}
