namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The field properties describing the source column (contract: "Column properties"). Present on every key and
/// value field the source writes; a sink uses them to recreate the column.
/// </summary>
public static class PgColumnProperties
{
    /// <summary><c>kafkacdc.column</c>: the exact column name.</summary>
    public const string Column = "kafkacdc.column";

    /// <summary><c>kafkacdc.type</c>: the type as <c>format_type</c> writes it (see <see cref="PgColumnType.FormattedType"/>).</summary>
    public const string Type = "kafkacdc.type";

    /// <summary><c>kafkacdc.type.name</c>: the base element type's name.</summary>
    public const string TypeName = "kafkacdc.type.name";

    /// <summary><c>kafkacdc.type.schema</c>: the base element type's schema.</summary>
    public const string TypeSchema = "kafkacdc.type.schema";

    /// <summary><c>kafkacdc.type.kind</c>: <c>base</c>, <c>enum</c>, <c>range</c>, <c>multirange</c>, <c>composite</c>, <c>pseudo</c>.</summary>
    public const string TypeKind = "kafkacdc.type.kind";

    /// <summary><c>kafkacdc.length</c> (int): declared length of <c>char</c>/<c>varchar</c>/<c>bit</c>/<c>varbit</c>.</summary>
    public const string Length = "kafkacdc.length";

    /// <summary><c>kafkacdc.precision</c> (int): numeric precision, or fractional-second precision of time types.</summary>
    public const string Precision = "kafkacdc.precision";

    /// <summary><c>kafkacdc.scale</c> (int): numeric scale.</summary>
    public const string Scale = "kafkacdc.scale";

    /// <summary><c>kafkacdc.array.dims</c> (int): array dimensions, 0 for a scalar.</summary>
    public const string ArrayDimensions = "kafkacdc.array.dims";

    /// <summary><c>kafkacdc.nullable</c> (boolean): false for <c>NOT NULL</c> columns.</summary>
    public const string Nullable = "kafkacdc.nullable";

    /// <summary><c>kafkacdc.domain</c>: the domain, when the column's type is one.</summary>
    public const string Domain = "kafkacdc.domain";

    /// <summary><c>kafkacdc.key.position</c> (int): 1-based position in the primary key.</summary>
    public const string KeyPosition = "kafkacdc.key.position";

    /// <summary>
    /// <c>kafkacdc.default</c>: the column's default as PostgreSQL prints it, when it is a constant
    /// (<see cref="PgConstantDefault"/>); a sink gives the destination column the same default.
    /// </summary>
    public const string Default = "kafkacdc.default";

    /// <summary><c>kafkacdc.encoding</c>: <c>base64</c> or <c>hex</c> for <c>bytea</c> in a string field.</summary>
    public const string Encoding = "kafkacdc.encoding";

    /// <summary>The properties of <paramref name="column"/>'s fields, those that do not apply left out.</summary>
    internal static List<KeyValuePair<string, object?>> For(PgColumn column, PgAvroOptions options)
    {
        var type = column.Type;
        var properties = new List<KeyValuePair<string, object?>>
        {
            new(Column, column.Name),
            new(Type, type.FormattedType),
            new(TypeName, type.BaseTypeName),
            new(TypeSchema, type.BaseTypeSchema),
            new(TypeKind, type.Kind.ToString().ToLowerInvariant()),
            new(ArrayDimensions, type.ArrayDimensions),
            new(Nullable, !column.IsNotNull),
        };
        Add(properties, Length, type.Length);
        Add(properties, Precision, type.Precision);
        Add(properties, Scale, type.Scale);
        if (type.Domain is not null)
        {
            properties.Add(new(Domain, type.Domain));
        }

        Add(properties, KeyPosition, column.KeyPosition);
        if (PgConstantDefault.IsConstant(column.DefaultExpression))
        {
            properties.Add(new(Default, column.DefaultExpression));
        }
        if (PgTypeMap.KindOf(type) == PgValueKind.Bytea && options.BinaryHandling != BinaryHandlingMode.Bytes)
        {
            properties.Add(new(Encoding, options.BinaryHandling == BinaryHandlingMode.Base64 ? "base64" : "hex"));
        }

        return properties;
    }

    private static void Add(List<KeyValuePair<string, object?>> properties, string name, int? value)
    {
        if (value is { } present)
        {
            properties.Add(new(name, present));
        }
    }
}
