namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The representations of a date or time value in an Avro branch, as <see cref="PgTemporalSchemas.Recognize"/> tells
/// them apart: Debezium's semantic types (a <c>connect.name</c> on a plain primitive) and Avro's logical types.
/// </summary>
public enum PgTemporalKind
{
    /// <summary>Not a date or time representation.</summary>
    None,

    /// <summary><c>int</c> <c>io.debezium.time.Date</c>: days since 1970-01-01; ±infinity as the int's maximum and minimum.</summary>
    EpochDays,

    /// <summary><c>int</c> <c>io.debezium.time.Time</c>: milliseconds after midnight.</summary>
    TimeMillis,

    /// <summary><c>long</c> <c>io.debezium.time.MicroTime</c>: microseconds after midnight (<c>24:00:00</c> is 86400000000).</summary>
    TimeMicros,

    /// <summary><c>long</c> <c>io.debezium.time.Timestamp</c>: milliseconds since 1970 on the wall clock; ±infinity as the long's maximum and minimum.</summary>
    TimestampMillis,

    /// <summary><c>long</c> <c>io.debezium.time.MicroTimestamp</c>: microseconds since 1970 on the wall clock; ±infinity as the long's maximum and minimum.</summary>
    TimestampMicros,

    /// <summary><c>string</c> <c>io.debezium.time.ZonedTimestamp</c>: ISO 8601 in UTC (<c>2024-05-06T07:08:09.123456Z</c>), or <c>infinity</c>/<c>-infinity</c>.</summary>
    ZonedTimestamp,

    /// <summary>Avro <c>date</c> (int days since 1970-01-01).</summary>
    LogicalDate,

    /// <summary>Avro <c>time-millis</c>.</summary>
    LogicalTimeMillis,

    /// <summary>Avro <c>time-micros</c>.</summary>
    LogicalTimeMicros,

    /// <summary>Avro <c>timestamp-millis</c> (an instant, UTC).</summary>
    LogicalTimestampMillis,

    /// <summary>Avro <c>timestamp-micros</c> (an instant, UTC).</summary>
    LogicalTimestampMicros,

    /// <summary>Avro <c>local-timestamp-millis</c> (wall clock).</summary>
    LogicalLocalTimestampMillis,

    /// <summary>Avro <c>local-timestamp-micros</c> (wall clock).</summary>
    LogicalLocalTimestampMicros,
}
