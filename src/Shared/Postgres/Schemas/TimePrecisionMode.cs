namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// How <c>date</c>, <c>time</c>, <c>timestamp</c> and <c>timestamptz</c> values are represented (the
/// <c>time.precision.mode</c> setting, as in Debezium). Every mode carries every value PostgreSQL accepts, exactly, and
/// every record decodes with any Avro reader (schemas/README.md, "Dates and times").
/// </summary>
public enum TimePrecisionMode
{
    /// <summary>
    /// <c>adaptive</c> (the default, Debezium's default): plain <c>int</c>/<c>long</c> with Debezium's
    /// <c>connect.name</c> and no Avro logical type, milliseconds for a declared precision up to 3 and microseconds
    /// above; <c>timestamptz</c> as an ISO 8601 string (<c>io.debezium.time.ZonedTimestamp</c>).
    /// </summary>
    Adaptive,

    /// <summary><c>adaptive_time_microseconds</c>: as <see cref="Adaptive"/>, but <c>time</c> always in microseconds.</summary>
    AdaptiveTimeMicroseconds,

    /// <summary>
    /// <c>avro_logical</c>: Avro logical types (<c>date</c>, <c>time-micros</c>, <c>local-timestamp-micros</c>,
    /// <c>timestamp-micros</c>) for the values every reader's date type holds (years 1 to 9999, times before 24:00); the
    /// others (infinities, BC and far-future dates, <c>24:00:00</c>) in a string branch as PostgreSQL's text.
    /// </summary>
    AvroLogical,
}
