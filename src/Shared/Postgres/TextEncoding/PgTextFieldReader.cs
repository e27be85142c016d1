using System.Globalization;
using System.Numerics;
using System.Text.Unicode;
using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Reads one Avro field's binary value and writes its PostgreSQL text input, without building the datum where the
/// type is common (boolean, int, bigint, date, time, timestamps, float, double, decimal, text, uuid). Every other
/// type, and any union it cannot map branch by branch, goes through the generic datum and the field's
/// <see cref="PgColumnEncoder"/>, so the text is always what <see cref="PgColumnEncoder.Encode"/> gives: the fast
/// cases below mirror <see cref="PgDatumEncoding"/> and are tested against it value by value.
/// </summary>
internal abstract class PgTextFieldReader
{
    private static readonly byte[] s_unavailableUtf8 = PgUnavailableValue.Bytes;

    public abstract void Read(ref AvroBinaryReader reader, PgTextRowBuffer output);

    /// <summary>The reader of <paramref name="field"/>'s values.</summary>
    /// <exception cref="ArgumentException">The field's schema has no text form (only <c>null</c>).</exception>
    public static PgTextFieldReader For(Field field)
    {
        var encoder = PgColumnEncoder.For(field);
        var binaryEncoding = PgFieldProperties.String(field, PgColumnProperties.Encoding);
        var canBeUnavailable = PgUnavailableValue.For(field.Schema) is not null;
        PgTextFieldReader generic = new Generic(AvroSkip.For(field.Schema), new AvroGenericReader(field.Schema), encoder);
        if (field.Schema is not UnionSchema union)
        {
            return Branch(field.Schema, binaryEncoding, canBeUnavailable) ?? generic;
        }

        // As PgDatumEncoding: next to an array, the string branch holds an array literal, never base64 or hex.
        var hasArray = union.Schemas.Any(b => b is ArraySchema);
        var branches = new PgTextFieldReader?[union.Schemas.Count];
        for (var i = 0; i < branches.Length; i++)
        {
            var branch = union.Schemas[i];
            if (branch.Tag == Schema.Type.Null)
            {
                continue;
            }

            branches[i] = Branch(branch, hasArray && AvroSchemas.IsPlainString(branch) ? null : binaryEncoding, canBeUnavailable);
            if (branches[i] is null)
            {
                return generic;
            }
        }

        return new Union(branches);
    }

    private static PgTextFieldReader? Branch(Schema schema, string? binaryEncoding, bool canBeUnavailable)
    {
        if (AvroSchemas.DecimalOf(schema) is var (_, scale))
        {
            return schema switch
            {
                LogicalSchema { BaseSchema: FixedSchema fixedSchema } => new Decimal(scale, fixedSchema.Size),
                LogicalSchema { BaseSchema.Tag: Schema.Type.Bytes } => new Decimal(scale, -1),
                _ => null,
            };
        }

        var temporal = PgTemporalSchemas.Recognize(schema);
        switch (temporal)
        {
            case PgTemporalKind.EpochDays or PgTemporalKind.LogicalDate:
                return new Date();
            case PgTemporalKind.TimeMicros or PgTemporalKind.LogicalTimeMicros:
                return new Time(1);
            case PgTemporalKind.TimeMillis or PgTemporalKind.LogicalTimeMillis:
                return new Time(1000);
            case PgTemporalKind.TimestampMicros or PgTemporalKind.LogicalLocalTimestampMicros:
                return new Timestamp(1, withTimeZone: false);
            case PgTemporalKind.TimestampMillis or PgTemporalKind.LogicalLocalTimestampMillis:
                return new Timestamp(1000, withTimeZone: false);
            case PgTemporalKind.LogicalTimestampMicros:
                return new Timestamp(1, withTimeZone: true);
            case PgTemporalKind.LogicalTimestampMillis:
                return new Timestamp(1000, withTimeZone: true);
            case PgTemporalKind.ZonedTimestamp:
                return new ZonedTimestamp();
        }

        if (schema is not PrimitiveSchema)
        {
            return null;
        }

        return schema.Tag switch
        {
            Schema.Type.Boolean => new Boolean(),
            Schema.Type.Int => new Int(),
            Schema.Type.Long => new Long(),
            Schema.Type.Float => new Float(),
            Schema.Type.Double => new Double(),
            Schema.Type.String when binaryEncoding is null => new Text(canBeUnavailable && AvroSchemas.StringProperty(schema, AvroSchemas.ConnectName) is null),
            _ => null,
        };
    }

    private static int Format(long value, Span<byte> destination, string? format = null)
    {
        value.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture);
        return written;
    }

    private static int WriteAscii(string text, Span<byte> destination)
    {
        for (var i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }

    /// <summary>As <c>PgDateTimeText.AppendDate</c>: <c>YYYY-MM-DD</c> of the year shown (BC years counted from 1).</summary>
    private static int WriteDate(long days, Span<byte> destination, out bool bc)
    {
        var (year, month, day) = PgCalendar.CivilFromDays(days);
        bc = year <= 0;
        var n = Format(bc ? 1 - year : year, destination, "D4");
        destination[n++] = (byte)'-';
        n += Format(month, destination[n..], "D2");
        destination[n++] = (byte)'-';
        return n + Format(day, destination[n..], "D2");
    }

    /// <summary>As <c>PgDateTimeText.AppendTime</c>: <c>HH:MM:SS[.ffffff]</c>, trailing zeros of the fraction dropped.</summary>
    private static int WriteTime(long micros, Span<byte> destination)
    {
        var seconds = Math.DivRem(micros, 1_000_000L, out var fraction);
        var n = Format(seconds / 3600, destination, "D2");
        destination[n++] = (byte)':';
        n += Format(seconds / 60 % 60, destination[n..], "D2");
        destination[n++] = (byte)':';
        n += Format(seconds % 60, destination[n..], "D2");
        if (fraction != 0)
        {
            destination[n++] = (byte)'.';
            var digits = Format(fraction, destination[n..], "D6");
            while (destination[n + digits - 1] == (byte)'0')
            {
                digits--;
            }

            n += digits;
        }

        return n;
    }

    private sealed class Union(PgTextFieldReader?[] branches) : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var start = reader.Position;
            var index = reader.ReadLong();
            if ((ulong)index >= (ulong)branches.Length)
            {
                throw new AvroDecodingException($"union index {index} out of range: the union has {branches.Length} branches", start);
            }

            if (branches[index] is { } branch)
            {
                branch.Read(ref reader, output);
            }
            else
            {
                output.WriteNull();
            }
        }
    }

    /// <summary>Any other type: the field's bytes found with <see cref="AvroSkip"/>, read by Apache.Avro, written by the column encoder.</summary>
    private sealed class Generic(AvroSkip skip, AvroGenericReader datumReader, PgColumnEncoder encoder) : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var start = reader.Position;
            skip.Read(ref reader);
            var datum = datumReader.Read(reader.ReadSince(start));
            if (encoder.IsUnavailable(datum))
            {
                output.WriteUnavailable();
            }
            else if (encoder.Encode(datum) is { } text)
            {
                output.WriteText(text);
            }
            else
            {
                output.WriteNull();
            }
        }
    }

    private sealed class Text(bool canBeUnavailable) : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var bytes = reader.ReadBytesSpan();
            if (!Utf8.IsValid(bytes))
            {
                throw new AvroDecodingException("string is not valid UTF-8", reader.Position - bytes.Length);
            }

            if (canBeUnavailable && bytes.SequenceEqual(s_unavailableUtf8))
            {
                output.WriteUnavailable();
            }
            else
            {
                output.WriteUtf8(bytes);
            }
        }
    }

    private sealed class Boolean : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            output.Reserve(1)[0] = reader.ReadBoolean() ? (byte)'t' : (byte)'f';
            output.Commit(1);
        }
    }

    private sealed class Int : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var value = reader.ReadInt();
            output.Commit(Format(value, output.Reserve(11)));
        }
    }

    private sealed class Long : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var value = reader.ReadLong();
            output.Commit(Format(value, output.Reserve(20)));
        }
    }

    private sealed class Float : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var value = reader.ReadFloat();
            if (!float.IsFinite(value))
            {
                output.WriteText(PgNumberText.FormatFloat4(value));
                return;
            }

            var text = output.Reserve(32);
            value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
            LowerExponent(text[..written]);
            output.Commit(written);
        }
    }

    private sealed class Double : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var value = reader.ReadDouble();
            if (!double.IsFinite(value))
            {
                output.WriteText(PgNumberText.FormatFloat8(value));
                return;
            }

            var text = output.Reserve(32);
            value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
            LowerExponent(text[..written]);
            output.Commit(written);
        }
    }

    private static void LowerExponent(Span<byte> text)
    {
        var e = text.IndexOf((byte)'E');
        if (e >= 0)
        {
            text[e] = (byte)'e';
        }
    }

    private sealed class Date : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var days = reader.ReadInt();
            if (days is PgDateTimeText.DateInfinity or PgDateTimeText.DateMinusInfinity)
            {
                output.WriteText(PgDateTimeText.FormatDate(days));
                return;
            }

            var text = output.Reserve(32);
            var n = WriteDate(days, text, out var bc);
            output.Commit(bc ? n + WriteAscii(" BC", text[n..]) : n);
        }
    }

    /// <summary>A time of day in microseconds (<paramref name="unit"/> 1, a long) or milliseconds (1000, an int).</summary>
    private sealed class Time(int unit) : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var micros = unit == 1 ? reader.ReadLong() : reader.ReadInt() * (long)unit;
            if (micros is < 0 or > PgDateTimeText.MicrosPerDay)
            {
                throw new ArgumentOutOfRangeException(nameof(reader), micros, "a time of day is between 0 and 86400000000 µs");
            }

            output.Commit(WriteTime(micros, output.Reserve(24)));
        }
    }

    /// <summary>A timestamp in microseconds (<paramref name="unit"/> 1) or milliseconds (1000) since 1970; the long's extremes are the infinities.</summary>
    private sealed class Timestamp(int unit, bool withTimeZone) : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var value = reader.ReadLong();
            if (value is PgDateTimeText.TimestampInfinity or PgDateTimeText.TimestampMinusInfinity)
            {
                output.WriteText(PgDateTimeText.FormatTimestamp(value, withTimeZone));
                return;
            }

            if (unit != 1 && (value > long.MaxValue / unit || value < long.MinValue / unit))
            {
                // Milliseconds of the last ~30 years of PostgreSQL's range: beyond 64-bit microseconds.
                output.WriteText(PgDateTimeText.FormatTimestamp((Int128)value * unit, withTimeZone));
                return;
            }

            var micros = value * unit;

            var days = Math.DivRem(micros, PgDateTimeText.MicrosPerDay, out var time);
            if (time < 0)
            {
                days--;
                time += PgDateTimeText.MicrosPerDay;
            }

            var text = output.Reserve(64);
            var n = WriteDate(days, text, out var bc);
            text[n++] = (byte)' ';
            n += WriteTime(time, text[n..]);
            if (withTimeZone)
            {
                n += WriteAscii("+00", text[n..]);
            }

            output.Commit(bc ? n + WriteAscii(" BC", text[n..]) : n);
        }
    }

    /// <summary>An ISO 8601 instant (<c>io.debezium.time.ZonedTimestamp</c>) as PostgreSQL's timestamptz text.</summary>
    private sealed class ZonedTimestamp : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var peek = reader;
            var utf8 = peek.ReadBytesSpan();
            if (PgDateTimeText.IsPlainIsoInstant(utf8))
            {
                reader = peek;
                output.WriteUtf8(utf8);
            }
            else
            {
                output.WriteText(PgTemporalSchemas.ToText(PgTemporalKind.ZonedTimestamp, reader.ReadString()));
            }
        }
    }

    /// <summary>As <see cref="PgDecimalText.Format(AvroDecimal)"/>: the unscaled digits with the point placed by the scale.</summary>
    private sealed class Decimal(int scale, int fixedSize) : PgTextFieldReader
    {
        public override void Read(ref AvroBinaryReader reader, PgTextRowBuffer output)
        {
            var start = reader.Position;
            var bytes = fixedSize < 0 ? reader.ReadBytesSpan() : reader.ReadFixed(fixedSize);
            if (bytes.IsEmpty)
            {
                throw new AvroDecodingException("decimal with zero bytes (two's complement needs at least one)", start);
            }

            long unscaled = bytes[0] >= 0x80 ? -1 : 0;
            if (bytes.Length > 8 || (unscaled = Accumulate(unscaled, bytes)) == long.MinValue)
            {
                output.WriteText(PgDecimalText.Format(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale));
                return;
            }

            Span<byte> digits = stackalloc byte[20];
            var count = Format(Math.Abs(unscaled), digits);
            var text = output.Reserve(count + scale + 3);
            var n = 0;
            if (unscaled < 0)
            {
                text[n++] = (byte)'-';
            }

            if (scale == 0)
            {
                digits[..count].CopyTo(text[n..]);
                n += count;
            }
            else if (count > scale)
            {
                digits[..(count - scale)].CopyTo(text[n..]);
                n += count - scale;
                text[n++] = (byte)'.';
                digits[(count - scale)..count].CopyTo(text[n..]);
                n += scale;
            }
            else
            {
                text[n++] = (byte)'0';
                text[n++] = (byte)'.';
                text.Slice(n, scale - count).Fill((byte)'0');
                n += scale - count;
                digits[..count].CopyTo(text[n..]);
                n += count;
            }

            output.Commit(n);
        }

        private static long Accumulate(long value, ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                value = (value << 8) | b;
            }

            return value;
        }
    }
}
