namespace KafkaCdc.Shared.Avro;

/// <summary>The logical types this library understands; see <see cref="LogicalType"/>.</summary>
public enum LogicalTypeKind
{
    /// <summary><c>decimal</c> on <c>bytes</c> or <c>fixed</c>: a two's complement unscaled integer with a precision and scale.</summary>
    Decimal,

    /// <summary><c>uuid</c> on <c>string</c>.</summary>
    Uuid,

    /// <summary><c>date</c> on <c>int</c>: days since 1970-01-01.</summary>
    Date,

    /// <summary><c>time-millis</c> on <c>int</c>: milliseconds after midnight.</summary>
    TimeMillis,

    /// <summary><c>time-micros</c> on <c>long</c>: microseconds after midnight.</summary>
    TimeMicros,

    /// <summary><c>timestamp-millis</c> on <c>long</c>: milliseconds since 1970-01-01T00:00:00Z.</summary>
    TimestampMillis,

    /// <summary><c>timestamp-micros</c> on <c>long</c>: microseconds since 1970-01-01T00:00:00Z.</summary>
    TimestampMicros,

    /// <summary><c>local-timestamp-millis</c> on <c>long</c>: milliseconds since 1970-01-01T00:00:00 in an unstated time zone.</summary>
    LocalTimestampMillis,

    /// <summary><c>local-timestamp-micros</c> on <c>long</c>: microseconds since 1970-01-01T00:00:00 in an unstated time zone.</summary>
    LocalTimestampMicros,
}
