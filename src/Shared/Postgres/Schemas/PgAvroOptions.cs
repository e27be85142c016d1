namespace KafkaCdc.Shared.Postgres;

/// <summary>The settings that change how PostgreSQL values map to Avro.</summary>
public sealed record PgAvroOptions
{
    /// <summary>The defaults: <see cref="BinaryHandlingMode.Bytes"/> and <see cref="DecimalHandlingMode.Precise"/>.</summary>
    public static PgAvroOptions Default { get; } = new();

    /// <summary><c>binary.handling.mode</c>.</summary>
    public BinaryHandlingMode BinaryHandling { get; init; } = BinaryHandlingMode.Bytes;

    /// <summary><c>decimal.handling.mode</c>.</summary>
    public DecimalHandlingMode DecimalHandling { get; init; } = DecimalHandlingMode.Precise;

    /// <summary>Parses a <c>binary.handling.mode</c> value: <c>bytes</c>, <c>base64</c> or <c>hex</c> (any case).</summary>
    /// <exception cref="ArgumentException">Another value; the message lists the valid ones.</exception>
    /// <summary>How dates and times are represented (<c>time.precision.mode</c>).</summary>
    public TimePrecisionMode TimePrecision { get; init; } = TimePrecisionMode.Adaptive;

    /// <summary>Parses a <c>time.precision.mode</c> value: <c>adaptive</c>, <c>adaptive_time_microseconds</c> or <c>avro_logical</c>.</summary>
    /// <exception cref="ArgumentException">Another value; the message lists the valid ones.</exception>
    public static TimePrecisionMode ParseTimePrecisionMode(string value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            "adaptive" => TimePrecisionMode.Adaptive,
            "adaptive_time_microseconds" => TimePrecisionMode.AdaptiveTimeMicroseconds,
            "avro_logical" => TimePrecisionMode.AvroLogical,
            _ => throw new ArgumentException($"time.precision.mode '{value}' is not one of adaptive, adaptive_time_microseconds, avro_logical", nameof(value)),
        };

    public static BinaryHandlingMode ParseBinaryHandlingMode(string value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            "bytes" => BinaryHandlingMode.Bytes,
            "base64" => BinaryHandlingMode.Base64,
            "hex" => BinaryHandlingMode.Hex,
            _ => throw new ArgumentException($"binary.handling.mode '{value}' is not one of bytes, base64, hex", nameof(value)),
        };

    /// <summary>Parses a <c>decimal.handling.mode</c> value: <c>precise</c>, <c>string</c> or <c>double</c> (any case).</summary>
    /// <exception cref="ArgumentException">Another value; the message lists the valid ones.</exception>
    public static DecimalHandlingMode ParseDecimalHandlingMode(string value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            "precise" => DecimalHandlingMode.Precise,
            "string" => DecimalHandlingMode.String,
            "double" => DecimalHandlingMode.Double,
            _ => throw new ArgumentException($"decimal.handling.mode '{value}' is not one of precise, string, double", nameof(value)),
        };
}
