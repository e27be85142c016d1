namespace KafkaCdc.Shared.Postgres;

/// <summary>How values of a base element type are represented in Avro: one member per row group of the contract's column-type table.</summary>
internal enum PgValueKind
{
    /// <summary><c>smallint</c>: <c>int</c>.</summary>
    Int16,

    /// <summary><c>integer</c>: <c>int</c>.</summary>
    Int32,

    /// <summary><c>bigint</c>, <c>oid</c>: <c>long</c>.</summary>
    Int64,

    /// <summary><c>real</c>: <c>float</c>.</summary>
    Float4,

    /// <summary><c>double precision</c>: <c>double</c>.</summary>
    Float8,

    /// <summary><c>numeric</c>: by <c>decimal.handling.mode</c> and whether it has a precision.</summary>
    Numeric,

    /// <summary><c>money</c>: decimal(19,2).</summary>
    Money,

    /// <summary><c>boolean</c>.</summary>
    Boolean,

    /// <summary><c>bytea</c>: by <c>binary.handling.mode</c>.</summary>
    Bytea,

    /// <summary><c>date</c>: <c>int</c> date.</summary>
    Date,

    /// <summary><c>time</c>: <c>long</c> time-micros.</summary>
    Time,

    /// <summary><c>timestamp</c>: <c>long</c> local-timestamp-micros.</summary>
    Timestamp,

    /// <summary><c>timestamptz</c>: <c>long</c> timestamp-micros.</summary>
    TimestampTz,

    /// <summary><c>uuid</c>: <c>string</c> uuid.</summary>
    Uuid,

    /// <summary>A type the contract lists as <c>string</c> holding PostgreSQL's text output.</summary>
    Text,

    /// <summary>Any other type: <c>string</c> holding its text output, with a warning.</summary>
    UnknownText,
}
