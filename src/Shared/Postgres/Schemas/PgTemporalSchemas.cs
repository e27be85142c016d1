using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The one table of how dates and times travel (schemas/README.md, "Dates and times"): the source's schema and text
/// decoder for a <c>date</c>, <c>time</c>, <c>timestamp</c> or <c>timestamptz</c> column under a
/// <see cref="TimePrecisionMode"/>, and the sink's recognition of a branch (<see cref="Recognize"/>) and its way back to
/// PostgreSQL text (<see cref="ToText(PgTemporalKind, long)"/>). No value PostgreSQL accepts is refused or altered:
/// what a representation cannot hold goes to the field's string branch as PostgreSQL's own text.
/// </summary>
public static class PgTemporalSchemas
{
    const string DebeziumDate = "io.debezium.time.Date";
    const string DebeziumTime = "io.debezium.time.Time";
    const string DebeziumMicroTime = "io.debezium.time.MicroTime";
    const string DebeziumTimestamp = "io.debezium.time.Timestamp";
    const string DebeziumMicroTimestamp = "io.debezium.time.MicroTimestamp";
    const string DebeziumZonedTimestamp = "io.debezium.time.ZonedTimestamp";

    /// <summary>The first and last day that every reader's date type holds (0001-01-01 and 9999-12-31).</summary>
    const int FirstCommonDay = -719_162, LastCommonDay = 2_932_896;

    static readonly PrimitiveSchema s_epochDays = AvroSchemas.Named(Schema.Type.Int, DebeziumDate);
    static readonly PrimitiveSchema s_timeMillis = AvroSchemas.Named(Schema.Type.Int, DebeziumTime);
    static readonly PrimitiveSchema s_timeMicros = AvroSchemas.Named(Schema.Type.Long, DebeziumMicroTime);
    static readonly PrimitiveSchema s_timestampMillis = AvroSchemas.Named(Schema.Type.Long, DebeziumTimestamp);
    static readonly UnionSchema s_timestampMicrosOrText = AvroSchemas.Union(AvroSchemas.Named(Schema.Type.Long, DebeziumMicroTimestamp), AvroSchemas.String);
    static readonly PrimitiveSchema s_zonedTimestamp = AvroSchemas.Named(Schema.Type.String, DebeziumZonedTimestamp);
    static readonly UnionSchema s_logicalDateOrText = AvroSchemas.Union(AvroSchemas.Logical(Schema.Type.Int, "date"), AvroSchemas.String);
    static readonly UnionSchema s_logicalTimeOrText = AvroSchemas.Union(AvroSchemas.Logical(Schema.Type.Long, "time-micros"), AvroSchemas.String);
    static readonly UnionSchema s_logicalLocalTimestampOrText =
        AvroSchemas.Union(AvroSchemas.Logical(Schema.Type.Long, "local-timestamp-micros"), AvroSchemas.String);
    static readonly UnionSchema s_logicalTimestampOrText = AvroSchemas.Union(AvroSchemas.Logical(Schema.Type.Long, "timestamp-micros"), AvroSchemas.String);

    /// <summary>The schema and text decoder of a temporal column (<paramref name="kind"/> is date, time, timestamp or timestamptz).</summary>
    internal static PgScalarMapping For(PgValueKind kind, int? precision, TimePrecisionMode mode)
    {
        var logical = mode == TimePrecisionMode.AvroLogical;
        var millis = mode == TimePrecisionMode.Adaptive && precision is <= 3;
        return kind switch
        {
            PgValueKind.Date when logical => new(s_logicalDateOrText, static t => PgDateTimeText.IsInfinity(t, out _) ? t : CommonDayOrText(t)),
            PgValueKind.Date => new(s_epochDays, static t => PgDateTimeText.ParseDate(t)),
            PgValueKind.Time when logical => new(s_logicalTimeOrText, static t => PgDateTimeText.ParseTime(t) is var micros && micros < PgDateTimeText.MicrosPerDay ? micros : t),
            PgValueKind.Time when millis => new(s_timeMillis, static t => (int)(PgDateTimeText.ParseTime(t) / 1000)),
            PgValueKind.Time => new(s_timeMicros, static t => PgDateTimeText.ParseTime(t)),
            PgValueKind.Timestamp when logical => new(s_logicalLocalTimestampOrText, static t => CommonInstantOrText(t, withTimeZone: false)),
            PgValueKind.Timestamp when precision is <= 3 => new(s_timestampMillis, static t => TimestampMillis(t)),
            PgValueKind.Timestamp => new(s_timestampMicrosOrText, static t => PgDateTimeText.TryParseTimestamp(t, withTimeZone: false, out var micros) ? micros : t),
            PgValueKind.TimestampTz when logical => new(s_logicalTimestampOrText, static t => CommonInstantOrText(t, withTimeZone: true)),
            PgValueKind.TimestampTz => new(s_zonedTimestamp, static t => PgDateTimeText.TryIsoInstantOfUtcText(t, out var iso) ? iso
                : PgDateTimeText.IsInfinity(t, out _) ? t : PgDateTimeText.FormatIsoInstant(PgDateTimeText.ParseTimestampMicros(t, withTimeZone: true))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a date or time kind"),
        };
    }

    /// <summary>Which date or time representation <paramref name="branch"/> (a union branch or a plain field schema) is.</summary>
    public static PgTemporalKind Recognize(Schema branch)
    {
        if (branch is LogicalSchema logical)
        {
            return logical.LogicalTypeName switch
            {
                "date" => PgTemporalKind.LogicalDate,
                "time-millis" => PgTemporalKind.LogicalTimeMillis,
                "time-micros" => PgTemporalKind.LogicalTimeMicros,
                "timestamp-millis" => PgTemporalKind.LogicalTimestampMillis,
                "timestamp-micros" => PgTemporalKind.LogicalTimestampMicros,
                "local-timestamp-millis" => PgTemporalKind.LogicalLocalTimestampMillis,
                "local-timestamp-micros" => PgTemporalKind.LogicalLocalTimestampMicros,
                _ => PgTemporalKind.None,
            };
        }

        return (branch.Tag, AvroSchemas.StringProperty(branch, AvroSchemas.ConnectName)) switch
        {
            (Schema.Type.Int, DebeziumDate) => PgTemporalKind.EpochDays,
            (Schema.Type.Int, DebeziumTime) => PgTemporalKind.TimeMillis,
            (Schema.Type.Long, DebeziumMicroTime) => PgTemporalKind.TimeMicros,
            (Schema.Type.Long, DebeziumTimestamp) => PgTemporalKind.TimestampMillis,
            (Schema.Type.Long, DebeziumMicroTimestamp) => PgTemporalKind.TimestampMicros,
            (Schema.Type.String, DebeziumZonedTimestamp) => PgTemporalKind.ZonedTimestamp,
            _ => PgTemporalKind.None,
        };
    }

    /// <summary>PostgreSQL's text input of a numeric representation's value (the raw int or long, never a converted date type).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A time of day outside 0 to 24:00:00.</exception>
    public static string ToText(PgTemporalKind kind, long value) => kind switch
    {
        PgTemporalKind.EpochDays or PgTemporalKind.LogicalDate => PgDateTimeText.FormatDate(checked((int)value)),
        PgTemporalKind.TimeMillis or PgTemporalKind.LogicalTimeMillis => PgDateTimeText.FormatTime(checked(value * 1000)),
        PgTemporalKind.TimeMicros or PgTemporalKind.LogicalTimeMicros => PgDateTimeText.FormatTime(value),
        PgTemporalKind.TimestampMillis or PgTemporalKind.LogicalLocalTimestampMillis => FromMillis(value, withTimeZone: false),
        PgTemporalKind.TimestampMicros or PgTemporalKind.LogicalLocalTimestampMicros => PgDateTimeText.FormatTimestamp(value, withTimeZone: false),
        PgTemporalKind.LogicalTimestampMillis => FromMillis(value, withTimeZone: true),
        PgTemporalKind.LogicalTimestampMicros => PgDateTimeText.FormatTimestamp(value, withTimeZone: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a numeric date or time representation"),
    };

    /// <summary>
    /// PostgreSQL's text input of a <see cref="PgTemporalKind.ZonedTimestamp"/> string: the string itself when PostgreSQL
    /// reads it as the same instant (<see cref="PgDateTimeText.IsPlainIsoInstant{T}"/>), else the instant in PostgreSQL's
    /// own form (years before 1 or after 9999, other offsets).
    /// </summary>
    /// <exception cref="FormatException">Not ISO 8601 with an offset, nor an infinity.</exception>
    public static string ToText(PgTemporalKind kind, string value) => kind switch
    {
        PgTemporalKind.ZonedTimestamp => PgDateTimeText.IsPlainIsoInstant(value.AsSpan()) || PgDateTimeText.IsInfinity(value, out _)
            ? value
            : PgDateTimeText.FormatTimestamp(PgDateTimeText.ParseIsoInstant(value), withTimeZone: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a string date or time representation"),
    };

    /// <summary>The column type a representation stands for, for records without <c>kafkacdc.type</c>.</summary>
    public static string? SqlType(PgTemporalKind kind) => kind switch
    {
        PgTemporalKind.None => null,
        PgTemporalKind.EpochDays or PgTemporalKind.LogicalDate => "date",
        PgTemporalKind.TimeMillis or PgTemporalKind.TimeMicros or PgTemporalKind.LogicalTimeMillis or PgTemporalKind.LogicalTimeMicros => "time",
        PgTemporalKind.TimestampMillis or PgTemporalKind.TimestampMicros or PgTemporalKind.LogicalLocalTimestampMillis or PgTemporalKind.LogicalLocalTimestampMicros =>
            "timestamp without time zone",
        _ => "timestamp with time zone",
    };

    static object CommonDayOrText(string text)
    {
        var days = PgDateTimeText.ParseDate(text);
        return days is >= FirstCommonDay and <= LastCommonDay ? days : text;
    }

    static object CommonInstantOrText(string text, bool withTimeZone)
    {
        if (PgDateTimeText.IsInfinity(text, out _)) return text;
        var micros = PgDateTimeText.ParseTimestampMicros(text, withTimeZone);
        var day = Int128.DivRem(micros, PgDateTimeText.MicrosPerDay).Quotient - (micros < 0 && micros % PgDateTimeText.MicrosPerDay != 0 ? 1 : 0);
        return day >= FirstCommonDay && day <= LastCommonDay ? (long)micros : text;
    }

    static long TimestampMillis(string text)
    {
        if (PgDateTimeText.IsInfinity(text, out var sign)) return sign > 0 ? PgDateTimeText.TimestampInfinity : PgDateTimeText.TimestampMinusInfinity;
        return (long)(PgDateTimeText.ParseTimestampMicros(text, withTimeZone: false) / 1000);
    }

    static string FromMillis(long millis, bool withTimeZone) => millis switch
    {
        PgDateTimeText.TimestampInfinity => "infinity",
        PgDateTimeText.TimestampMinusInfinity => "-infinity",
        _ => PgDateTimeText.FormatTimestamp((Int128)millis * 1000, withTimeZone),
    };
}
