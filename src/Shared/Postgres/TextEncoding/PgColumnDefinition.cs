using System.Text;
using Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// What a sink needs to create and write a destination column for one Avro field: the exact column name, the SQL
/// type, nullability, key position and the <see cref="Encoder"/> of its datums. From the field's
/// <see cref="PgColumnProperties"/> when it has them (records of KafkaCdc's source), else derived from the Avro
/// types (other producers).
/// </summary>
/// <remarks>
/// Enums, composites, extension types and other types outside <c>pg_catalog</c> may not exist at the destination:
/// check <see cref="IsUserDefinedType"/> and fall back to <see cref="FallbackSqlType"/> (<c>text</c>), which holds
/// their text output as well. Domains arrive as their base type already.
/// </remarks>
public sealed class PgColumnDefinition
{
    private PgColumnDefinition(Field field, bool isKeyField)
    {
        Field = field;
        HasColumnProperties = PgFieldProperties.String(field, PgColumnProperties.Type) is not null;
        Name = PgFieldProperties.String(field, PgColumnProperties.Column) ?? field.Name;
        ArrayDimensions = PgFieldProperties.Int(field, PgColumnProperties.ArrayDimensions) ?? CountArrayDimensions(field.Schema);
        var schemaAllowsNull = field.Schema is UnionSchema union && union.Schemas.Any(b => b.Tag == Schema.Type.Null);
        IsNullable = !isKeyField && (PgFieldProperties.Boolean(field, PgColumnProperties.Nullable) ?? schemaAllowsNull);
        KeyPosition = PgFieldProperties.Int(field, PgColumnProperties.KeyPosition) ?? (isKeyField ? field.Pos + 1 : null);
        if (HasColumnProperties)
        {
            SqlType = PgFieldProperties.String(field, PgColumnProperties.Type)!;
            TypeSchema = PgFieldProperties.String(field, PgColumnProperties.TypeSchema);
            TypeName = PgFieldProperties.String(field, PgColumnProperties.TypeName);
            IsUserDefinedType = TypeSchema is not null && TypeSchema != "pg_catalog";
            var defaultExpression = PgFieldProperties.String(field, PgColumnProperties.Default);
            Default = PgConstantDefault.IsConstant(defaultExpression) ? defaultExpression : null;
        }
        else
        {
            SqlType = PgAvroSqlTypes.Derive(field.Schema);
        }

        FallbackSqlType = IsUserDefinedType ? (ArrayDimensions > 0 ? "text[]" : "text") : SqlType;
        Encoder = PgColumnEncoder.For(field);
    }

    /// <summary>The Avro field.</summary>
    public Field Field { get; }

    /// <summary>Whether the field carries KafkaCdc's column properties (<c>kafkacdc.type</c>); if not, everything is derived from the Avro type.</summary>
    public bool HasColumnProperties { get; }

    /// <summary>The exact column name: <c>kafkacdc.column</c>, else the field name.</summary>
    public string Name { get; }

    /// <summary>The SQL type, valid in <c>CREATE TABLE</c> and in a <c>::</c> cast: <c>kafkacdc.type</c> (e.g. <c>numeric(12,2)</c>, <c>public.mood</c>), else derived from the Avro type.</summary>
    public string SqlType { get; }

    /// <summary><see cref="SqlType"/>, or <c>text</c> (<c>text[]</c> for arrays) when that is a user-defined type, for destinations lacking it.</summary>
    public string FallbackSqlType { get; }

    /// <summary>Whether <see cref="SqlType"/> names a type outside <c>pg_catalog</c> (<see cref="TypeSchema"/>.<see cref="TypeName"/>, for arrays the element type), which the sink should check exists.</summary>
    public bool IsUserDefinedType { get; }

    /// <summary>The schema of the (element) type, from <c>kafkacdc.type.schema</c>; null without column properties.</summary>
    public string? TypeSchema { get; }

    /// <summary>The name of the (element) type, from <c>kafkacdc.type.name</c>; null without column properties.</summary>
    public string? TypeName { get; }

    /// <summary>The source column's constant default (<c>kafkacdc.default</c>, checked by <see cref="PgConstantDefault"/>), or null.</summary>
    public string? Default { get; }

    /// <summary>Whether the column allows NULL: <c>kafkacdc.nullable</c>, else whether the schema has a null branch; never for key fields.</summary>
    public bool IsNullable { get; }

    /// <summary>The 1-based primary-key position (<c>kafkacdc.key.position</c>, or the key field's position), or <see langword="null"/>.</summary>
    public int? KeyPosition { get; }

    /// <summary>The number of array dimensions, 0 for a scalar.</summary>
    public int ArrayDimensions { get; }

    /// <summary>Encodes the field's datums to text input for the column.</summary>
    public PgColumnEncoder Encoder { get; }

    /// <summary>The definition of a field of a <c>Value</c> record (<paramref name="isKeyField"/> false) or of a <c>Key</c> record (true: never nullable, a key position).</summary>
    public static PgColumnDefinition FromField(Field field, bool isKeyField = false)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new PgColumnDefinition(field, isKeyField);
    }

    /// <summary>The column definition for <c>CREATE TABLE</c>: <c>"Name" type [NOT NULL]</c>.</summary>
    /// <param name="useFallbackType">Use <see cref="FallbackSqlType"/> instead of <see cref="SqlType"/>.</param>
    public string ToSql(bool useFallbackType = false) =>
        new StringBuilder(PgIdentifier.Quote(Name)).Append(' ').Append(useFallbackType ? FallbackSqlType : SqlType)
            .Append(IsNullable ? "" : " NOT NULL").ToString();

    private static int CountArrayDimensions(Schema schema)
    {
        var dimensions = 0;
        while (true)
        {
            if (schema is UnionSchema union)
            {
                schema = union.Schemas.FirstOrDefault(b => b is ArraySchema) ?? union.Schemas[0];
            }

            if (schema is not ArraySchema array)
            {
                return dimensions;
            }

            dimensions++;
            schema = array.ItemSchema;
        }
    }
}
