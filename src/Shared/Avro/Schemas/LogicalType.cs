namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A logical type annotating a primitive or fixed schema, per the specification's "Logical Types" section.
/// The parameterless ones are singletons (<see cref="Date"/>, <see cref="Uuid"/>...); decimals are
/// <see cref="DecimalLogicalType"/>. Match with <c>schema.LogicalType == LogicalType.Date</c> or
/// <c>schema.LogicalType is DecimalLogicalType { Scale: 2 }</c>.
/// </summary>
/// <remarks>
/// A schema whose <c>logicalType</c> attribute is unknown, sits on the wrong underlying type or has invalid
/// parameters has no <see cref="AvroSchema.LogicalType"/>: as the specification requires, it is read as its
/// underlying type, and the attributes stay in <see cref="AvroSchema.Properties"/> so that they round-trip.
/// </remarks>
public class LogicalType
{
    private protected LogicalType(string name, LogicalTypeKind kind, AvroType underlyingType)
    {
        Name = name;
        Kind = kind;
        UnderlyingType = underlyingType;
    }

    /// <summary>The <c>logicalType</c> attribute value, e.g. <c>timestamp-micros</c>.</summary>
    public string Name { get; }

    /// <summary>Which logical type this is.</summary>
    public LogicalTypeKind Kind { get; }

    /// <summary>
    /// The Avro type it annotates. For decimals this is <see cref="AvroType.Bytes"/>, although a decimal may also
    /// annotate a <see cref="FixedSchema"/>.
    /// </summary>
    public AvroType UnderlyingType { get; }

    /// <summary><c>uuid</c> on <c>string</c>.</summary>
    public static LogicalType Uuid { get; } = new("uuid", LogicalTypeKind.Uuid, AvroType.String);

    /// <summary><c>date</c> on <c>int</c>, days since the Unix epoch.</summary>
    public static LogicalType Date { get; } = new("date", LogicalTypeKind.Date, AvroType.Int);

    /// <summary><c>time-millis</c> on <c>int</c>.</summary>
    public static LogicalType TimeMillis { get; } = new("time-millis", LogicalTypeKind.TimeMillis, AvroType.Int);

    /// <summary><c>time-micros</c> on <c>long</c>.</summary>
    public static LogicalType TimeMicros { get; } = new("time-micros", LogicalTypeKind.TimeMicros, AvroType.Long);

    /// <summary><c>timestamp-millis</c> on <c>long</c>.</summary>
    public static LogicalType TimestampMillis { get; } = new("timestamp-millis", LogicalTypeKind.TimestampMillis, AvroType.Long);

    /// <summary><c>timestamp-micros</c> on <c>long</c>.</summary>
    public static LogicalType TimestampMicros { get; } = new("timestamp-micros", LogicalTypeKind.TimestampMicros, AvroType.Long);

    /// <summary><c>local-timestamp-millis</c> on <c>long</c>.</summary>
    public static LogicalType LocalTimestampMillis { get; } =
        new("local-timestamp-millis", LogicalTypeKind.LocalTimestampMillis, AvroType.Long);

    /// <summary><c>local-timestamp-micros</c> on <c>long</c>.</summary>
    public static LogicalType LocalTimestampMicros { get; } =
        new("local-timestamp-micros", LogicalTypeKind.LocalTimestampMicros, AvroType.Long);

    /// <summary>The parameterless logical type called <paramref name="name"/>, or <see langword="null"/> (also for <c>decimal</c>).</summary>
    internal static LogicalType? FindSimple(string name) => name switch
    {
        "uuid" => Uuid,
        "date" => Date,
        "time-millis" => TimeMillis,
        "time-micros" => TimeMicros,
        "timestamp-millis" => TimestampMillis,
        "timestamp-micros" => TimestampMicros,
        "local-timestamp-millis" => LocalTimestampMillis,
        "local-timestamp-micros" => LocalTimestampMicros,
        _ => null,
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}
