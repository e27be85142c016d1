using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// A column of one version of a captured table, as <see cref="SchemaChangeRule"/> compares versions: from the catalog
/// description of a Relation message, or from the field properties of a value schema in the registry.
/// </summary>
/// <param name="Name">The exact column name.</param>
/// <param name="Type">The type as <c>format_type</c> writes it (<c>kafkacdc.type</c>).</param>
/// <param name="AttributeNumber"><c>pg_attribute.attnum</c>, or null where unknown (the registry does not carry it).</param>
/// <param name="DefaultExpression">The default as <c>pg_get_expr</c> prints it, or null.</param>
internal sealed record ColumnShape(string Name, string Type, int? AttributeNumber, string? DefaultExpression)
{
    /// <summary>The shape of a described column.</summary>
    public static ColumnShape Of(PgColumn column) => new(column.Name, column.Type.FormattedType, column.AttributeNumber, column.DefaultExpression);

    /// <summary>The shape of a field of a registered value schema (<c>kafkacdc.column</c>, <c>kafkacdc.type</c>, <c>kafkacdc.default</c>).</summary>
    public static ColumnShape Of(Field field) =>
        new(AvroSchemas.StringProperty(field, PgColumnProperties.Column) ?? field.Name,
            AvroSchemas.StringProperty(field, PgColumnProperties.Type) ?? field.Schema.ToString(), null,
            AvroSchemas.StringProperty(field, PgColumnProperties.Default));
}
