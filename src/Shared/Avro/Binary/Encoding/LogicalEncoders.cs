namespace KafkaCdc.Shared.Avro;

/// <summary><c>uuid</c>: accepts a <see cref="string"/> as it is, or a <see cref="Guid"/> written in lowercase 8-4-4-4-12 form.</summary>
internal sealed class UuidEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(text);
                break;
            case Guid guid:
                Span<byte> text36 = stackalloc byte[36];
                guid.TryFormat(text36, out _, "D");
                writer.WriteBytes(text36);
                break;
            default:
                throw Mismatch(value);
        }
    }
}

/// <summary><c>date</c>: accepts the day number (<see cref="int"/>) or a <see cref="DateOnly"/>.</summary>
internal sealed class DateEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteInt(value switch
        {
            DateOnly date => AvroLogicalValues.DaysSinceEpoch(date),
            _ => IntEncoder.AsInt(value) ?? throw Mismatch(value),
        });
}

/// <summary><c>time-millis</c> and <c>time-micros</c>: accept the encoded integer, a <see cref="TimeOnly"/> or a <see cref="TimeSpan"/> from 0 to 24 hours.</summary>
internal sealed class TimeEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    private readonly bool _micros = schema.LogicalType!.Kind == LogicalTypeKind.TimeMicros;

    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        if (_micros)
        {
            writer.WriteLong(value switch
            {
                TimeOnly time => AvroLogicalValues.TimeMicros(time),
                TimeSpan span => AvroLogicalValues.TimeMicros(CheckRange(span)),
                _ => LongEncoder.AsLong(value) ?? throw Mismatch(value),
            });
        }
        else
        {
            writer.WriteInt(value switch
            {
                TimeOnly time => AvroLogicalValues.TimeMillis(time),
                TimeSpan span => AvroLogicalValues.TimeMillis(CheckRange(span)),
                _ => IntEncoder.AsInt(value) ?? throw Mismatch(value),
            });
        }
    }

    private static TimeSpan CheckRange(TimeSpan span) =>
        span >= TimeSpan.Zero && span <= TimeSpan.FromDays(1)
            ? span
            : throw Invalid($"time of day {span} is outside 00:00 to 24:00");
}

/// <summary>
/// <c>timestamp-*</c> and <c>local-timestamp-*</c>: accept the encoded <see cref="long"/> (or <see cref="int"/>), a
/// <see cref="DateTime"/> or a <see cref="DateTimeOffset"/>, converted as <see cref="AvroLogicalValues"/> describes.
/// </summary>
internal sealed class TimestampEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    private readonly LogicalTypeKind _kind = schema.LogicalType!.Kind;

    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteLong(value switch
        {
            DateTime dateTime => _kind switch
            {
                LogicalTypeKind.TimestampMicros => AvroLogicalValues.TimestampMicros(dateTime),
                LogicalTypeKind.TimestampMillis => AvroLogicalValues.TimestampMillis(dateTime),
                LogicalTypeKind.LocalTimestampMicros => AvroLogicalValues.LocalTimestampMicros(dateTime),
                _ => AvroLogicalValues.LocalTimestampMillis(dateTime),
            },
            DateTimeOffset offset => _kind switch
            {
                LogicalTypeKind.TimestampMicros => AvroLogicalValues.TimestampMicros(offset),
                LogicalTypeKind.TimestampMillis => AvroLogicalValues.TimestampMillis(offset),
                LogicalTypeKind.LocalTimestampMicros => AvroLogicalValues.LocalTimestampMicros(offset.DateTime),
                _ => AvroLogicalValues.LocalTimestampMillis(offset.DateTime),
            },
            _ => LongEncoder.AsLong(value) ?? throw Mismatch(value),
        });
}
