using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.SourceConnector.Encoding;

/// <summary>Names the column changes between two versions of a table's <c>Value</c> record, for messages.</summary>
internal static class SchemaChange
{
    /// <summary>
    /// One phrase per added, dropped or retyped column (by the exact column name of <c>kafkacdc.column</c>, falling
    /// back to the field name), e.g. <c>column "qty" changed from integer to bigint</c>.
    /// </summary>
    public static IReadOnlyList<string> Describe(RecordSchema? registered, RecordSchema current)
    {
        if (registered is null) return [];
        var before = registered.Fields.ToDictionary(ColumnName, StringComparer.Ordinal);
        var after = current.Fields.ToDictionary(ColumnName, StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var (name, field) in after)
        {
            if (!before.TryGetValue(name, out var old)) changes.Add($"column \"{name}\" added ({TypeOf(field)})");
            else if (old.Schema.ToString() != field.Schema.ToString() || TypeOf(old) != TypeOf(field))
                changes.Add($"column \"{name}\" changed from {TypeOf(old)} to {TypeOf(field)}");
        }
        changes.AddRange(before.Keys.Where(name => !after.ContainsKey(name)).Select(name => $"column \"{name}\" dropped"));
        return changes;
    }

    /// <summary>The <c>Value</c> record inside an envelope schema (the branch of its <c>after</c> field), or null.</summary>
    public static RecordSchema? ValueOf(Schema envelope) =>
        envelope is RecordSchema record && record.TryGetField("after", out var after) && after.Schema is UnionSchema union
            ? union.Schemas.OfType<RecordSchema>().FirstOrDefault()
            : null;

    static string ColumnName(Field field) => AvroSchemas.StringProperty(field, "kafkacdc.column") ?? field.Name;

    static string TypeOf(Field field) => AvroSchemas.StringProperty(field, "kafkacdc.type") ?? field.Schema.ToString();
}
