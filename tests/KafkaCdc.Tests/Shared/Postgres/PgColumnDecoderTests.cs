using System.Numerics;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using static KafkaCdc.Tests.Shared.Postgres.PgTestColumns;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgColumnDecoderTests
{
    [TestCase("int2", "-32768", -32768)]
    [TestCase("int4", "2147483647", int.MaxValue)]
    [TestCase("int4", "-2147483648", int.MinValue)]
    public void Decode_Integer_GivesInt(string type, string text, int expected) =>
        Assert.That(Decode(Of(type), text), Is.EqualTo(expected).And.TypeOf<int>());

    [TestCase("int8", "-9223372036854775808", long.MinValue)]
    [TestCase("int8", "9223372036854775807", long.MaxValue)]
    [TestCase("oid", "4294967295", 4294967295L)]
    public void Decode_BigintOrOid_GivesLong(string type, string text, long expected) =>
        Assert.That(Decode(Of(type), text), Is.EqualTo(expected).And.TypeOf<long>());

    [Test]
    public void Decode_Float4Specials_GiveIeeeValues()
    {
        Assert.That((float)Decode(Of("float4"), "NaN")!, Is.NaN);
        Assert.That(Decode(Of("float4"), "Infinity"), Is.EqualTo(float.PositiveInfinity));
        Assert.That(Decode(Of("float4"), "-Infinity"), Is.EqualTo(float.NegativeInfinity));
        Assert.That(Decode(Of("float4"), "3.4028235e+38"), Is.EqualTo(float.MaxValue).And.TypeOf<float>());
        Assert.That(Decode(Of("float4"), "1e-45"), Is.EqualTo(float.Epsilon));
    }

    [Test]
    public void Decode_Float8_GivesExactDouble()
    {
        Assert.That(Decode(Of("float8"), "0.1"), Is.EqualTo(0.1).And.TypeOf<double>());
        Assert.That(Decode(Of("float8"), "5e-324"), Is.EqualTo(double.Epsilon));
        Assert.That(double.IsNegative((double)Decode(Of("float8"), "-0")!), Is.True);
        Assert.That(Decode(Of("float8"), "-Infinity"), Is.EqualTo(double.NegativeInfinity));
    }

    [Test]
    public void Decode_NumericWithScale_GivesDecimalAtDeclaredScale() =>
        Assert.That(Decode(Of("numeric", NumericModifier(10, 2)), "12.30"), Is.EqualTo(new AvroDecimal(1230, 2)));

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    public void Decode_NumericNaN_UsesStringBranch(string text)
    {
        Assert.That(Decode(Of("numeric", NumericModifier(10, 2)), text), Is.EqualTo(text));
        Assert.That(Decode(Of("numeric"), text), Is.EqualTo(text));
    }

    [Test]
    public void Decode_NumericNegativeScale_GivesScaleZero()
    {
        var column = Of("numeric", NumericModifier(3, -2));
        Assert.That(Decode(column, "12300"), Is.EqualTo(new AvroDecimal(12300, 0)));
        Assert.That(PgColumnDecoder.Create(column, PgAvroOptions.Default).ValueType.ToString(),
            Does.Contain("\"precision\":5,\"scale\":0"));
    }

    [Test]
    public void Decode_NumericScaleAbovePrecision_KeepsScale() =>
        Assert.That(Decode(Of("numeric", NumericModifier(2, 5)), "0.00012"), Is.EqualTo(new AvroDecimal(12, 5)));

    [Test]
    public void Decode_UnconstrainedNumeric_GivesVariableScaleDecimal()
    {
        var record = (GenericRecord)Decode(Of("numeric"), "-123.4500")!;

        Assert.That(record.Schema, Is.SameAs(ChangeEventSchemas.VariableScaleDecimal));
        Assert.That(record["scale"], Is.EqualTo(4));
        Assert.That(new BigInteger((byte[])record["value"]!, isBigEndian: true), Is.EqualTo(new BigInteger(-1234500)));
    }

    [Test]
    public void Decode_ThousandDigitNumeric_KeepsEveryDigit()
    {
        var text = "9" + new string('8', 998) + "." + new string('7', 500) + "1";
        var record = (GenericRecord)Decode(Of("numeric"), text)!;

        var unscaled = new BigInteger((byte[])record["value"]!, isBigEndian: true);
        Assert.That(new AvroDecimal(unscaled, (int)record["scale"]!).ToString(), Is.EqualTo(text));
    }

    [Test]
    public void Decode_NumericInStringMode_KeepsText()
    {
        var options = new PgAvroOptions { DecimalHandling = DecimalHandlingMode.String };
        Assert.That(Decode(Of("numeric"), "-0.000100", options), Is.EqualTo("-0.000100"));
        Assert.That(Decode(Of("numeric", NumericModifier(5, 1)), "NaN", options), Is.EqualTo("NaN"));
    }

    [Test]
    public void Decode_NumericInDoubleMode_GivesDouble()
    {
        var options = new PgAvroOptions { DecimalHandling = DecimalHandlingMode.Double };
        Assert.That(Decode(Of("numeric"), "12.5", options), Is.EqualTo(12.5));
        Assert.That((double)Decode(Of("numeric"), "NaN", options)!, Is.NaN);
        Assert.That(Decode(Of("numeric"), "-Infinity", options), Is.EqualTo(double.NegativeInfinity));
    }

    [TestCase("$1,234,567.89", 123456789L)]
    [TestCase("-$92,233,720,368,547,758.08", long.MinValue)]
    [TestCase("$92,233,720,368,547,758.07", long.MaxValue)]
    [TestCase("$0.00", 0L)]
    public void Decode_Money_GivesDecimalWithScaleTwo(string text, long cents) =>
        Assert.That(Decode(Of("money"), text), Is.EqualTo(new AvroDecimal(cents, 2)));

    [Test]
    public void Decode_Boolean_ReadsTAndF()
    {
        Assert.That(Decode(Of("bool"), "t"), Is.True);
        Assert.That(Decode(Of("bool"), "f"), Is.False);
    }

    [Test]
    public void Decode_ByteaHex_GivesBytesOrText()
    {
        Assert.That(Decode(Of("bytea"), "\\x00ff10"), Is.EqualTo(new byte[] { 0, 255, 16 }));
        Assert.That(Decode(Of("bytea"), "\\x"), Is.EqualTo(Array.Empty<byte>()));
        Assert.That(Decode(Of("bytea"), "\\x00ff10", new PgAvroOptions { BinaryHandling = BinaryHandlingMode.Base64 }), Is.EqualTo("AP8Q"));
        Assert.That(Decode(Of("bytea"), "\\x00ff10", new PgAvroOptions { BinaryHandling = BinaryHandlingMode.Hex }), Is.EqualTo("00ff10"));
    }

    [Test]
    public void Decode_ByteaEscapeForm_GivesBytes() =>
        Assert.That(Decode(Of("bytea"), "a\\\\\\000\\377"), Is.EqualTo(new byte[] { (byte)'a', (byte)'\\', 0, 255 }));

    [TestCase("1970-01-01", 0)]
    [TestCase("2024-02-29", 19782)]
    [TestCase("1969-12-31", -1)]
    [TestCase("0001-01-01", -719162)]
    [TestCase("0001-12-31 BC", -719163)]
    [TestCase("0044-03-15 BC", -735160)]
    [TestCase("4713-11-24 BC", -2440222)]
    [TestCase("4714-11-24 BC", -2440588)]
    [TestCase("10000-01-01", 2932897)]
    [TestCase("5874897-12-31", 2145042905)]
    [TestCase("infinity", int.MaxValue)]
    [TestCase("-infinity", int.MinValue)]
    public void Decode_Date_GivesDaysSinceEpoch(string text, int days) =>
        Assert.That(Decode(Of("date"), text), Is.EqualTo(days));

    [TestCase("00:00:00", 0L)]
    [TestCase("12:34:56.5", 45296500000L)]
    [TestCase("23:59:59.999999", 86399999999L)]
    [TestCase("24:00:00", 86400000000L)]
    public void Decode_Time_GivesMicros(string text, long micros) =>
        Assert.That(Decode(Of("time"), text), Is.EqualTo(micros));

    [TestCase("1970-01-01 00:00:00", 0L)]
    [TestCase("2024-01-15 10:20:30.123456", 1705314030123456L)]
    [TestCase("1969-12-31 23:59:59.999999", -1L)]
    [TestCase("4714-11-24 00:00:00 BC", -210866803200000000L)]
    [TestCase("infinity", long.MaxValue)]
    [TestCase("-infinity", long.MinValue)]
    public void Decode_Timestamp_GivesLocalMicros(string text, long micros) =>
        Assert.That(Decode(Of("timestamp"), text), Is.EqualTo(micros));

    [TestCase("2024-01-15 10:20:30.123456+00", "2024-01-15T10:20:30.123456Z")]
    [TestCase("2024-01-15 12:20:30.123456+02", "2024-01-15T10:20:30.123456Z")]
    [TestCase("2024-01-15 05:00:30.123456-05:20", "2024-01-15T10:20:30.123456Z")]
    [TestCase("2024-01-15 05:00:30-05:20:30", "2024-01-15T10:21:00Z")]
    [TestCase("0044-03-15 12:00:00+00 BC", "-0043-03-15T12:00:00Z")]
    [TestCase("0001-12-31 23:00:00-02 BC", "0001-01-01T01:00:00Z")]
    [TestCase("294276-12-31 23:59:59.999999+00", "+294276-12-31T23:59:59.999999Z")]
    [TestCase("infinity", "infinity")]
    [TestCase("-infinity", "-infinity")]
    public void Decode_TimestampTz_GivesIsoUtcAsDebeziumZonedTimestamp(string text, string iso) =>
        Assert.That(Decode(Of("timestamptz"), text), Is.EqualTo(iso));

    [TestCase("294276-12-31 23:59:59.999999")]
    [TestCase("294247-01-10 04:00:54.775807")]
    public void Decode_TimestampBeyondLongMicros_GivesTheTextInTheStringBranch(string text) =>
        Assert.That(Decode(Of("timestamp"), text), Is.EqualTo(text));

    [Test]
    public void Decode_TimestampJustInsideLongMicros_GivesMicros() =>
        Assert.That(Decode(Of("timestamp"), "294247-01-10 04:00:54.775806"), Is.EqualTo(long.MaxValue - 1));

    [TestCase("2024-01-15 10:20:30.123", 1705314030123L)]
    [TestCase("294276-12-31 23:59:59.999", 9224318015999999L)]
    [TestCase("4714-11-24 00:00:00 BC", -210866803200000L)]
    [TestCase("infinity", long.MaxValue)]
    public void Decode_TimestampPrecision3_GivesMillisAsDebeziumTimestamp(string text, long millis) =>
        Assert.That(Decode(Of("timestamp", 3), text), Is.EqualTo(millis));

    [TestCase("12:34:56.5", 45296500)]
    [TestCase("24:00:00", 86400000)]
    public void Decode_TimePrecision3_GivesMillisAsDebeziumTime(string text, int millis) =>
        Assert.That(Decode(Of("time", 3), text), Is.EqualTo(millis));

    [Test]
    public void Decode_TimePrecision3_AdaptiveTimeMicroseconds_GivesMicros() =>
        Assert.That(Decode(Of("time", 3), "12:34:56.5", new PgAvroOptions { TimePrecision = TimePrecisionMode.AdaptiveTimeMicroseconds }), Is.EqualTo(45296500000L));

    static readonly PgAvroOptions s_logical = new() { TimePrecision = TimePrecisionMode.AvroLogical };

    [TestCase("date", "2024-02-29", 19782)]
    [TestCase("date", "0001-01-01", -719162)]
    [TestCase("date", "9999-12-31", 2932896)]
    [TestCase("date", "0001-12-31 BC", "0001-12-31 BC")]
    [TestCase("date", "10000-01-01", "10000-01-01")]
    [TestCase("date", "infinity", "infinity")]
    [TestCase("time", "23:59:59.999999", 86399999999L)]
    [TestCase("time", "24:00:00", "24:00:00")]
    [TestCase("timestamp", "9999-12-31 23:59:59.999999", 253402300799999999L)]
    [TestCase("timestamp", "10000-01-01 00:00:00", "10000-01-01 00:00:00")]
    [TestCase("timestamp", "-infinity", "-infinity")]
    [TestCase("timestamptz", "0001-01-01 00:00:00+00", -62135596800000000L)]
    [TestCase("timestamptz", "0001-01-01 00:00:00+01", "0001-01-01 00:00:00+01")]
    [TestCase("timestamptz", "294276-12-31 23:59:59.999999+00", "294276-12-31 23:59:59.999999+00")]
    public void Decode_AvroLogical_CommonRangeAsLogicalValueElseText(string type, string text, object expected) =>
        Assert.That(Decode(Of(type), text, s_logical), Is.EqualTo(expected));

    [Test]
    public void Decode_CharN_KeepsPadding() =>
        Assert.That(Decode(Of("bpchar", 10), "abc   "), Is.EqualTo("abc   "));

    [TestCase("timetz", "12:00:00.5+05:30")]
    [TestCase("interval", "P1Y2M3DT4H5M6.5S")]
    [TestCase("jsonb", "{\"a\": [1, 2]}")]
    [TestCase("point", "(1,2)")]
    [TestCase("pg_lsn", "16/B374D848")]
    [TestCase("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [TestCase("char", "\\300")]
    public void Decode_TextTypes_KeepText(string type, string text)
    {
        var decoder = PgColumnDecoder.Create(Of(type), PgAvroOptions.Default);
        Assert.That(decoder.Decode(text), Is.EqualTo(text));
        Assert.That(decoder.FallbackWarning, Is.Null);
    }

    [Test]
    public void Decode_UnknownType_GivesTextAndWarning()
    {
        var decoder = PgColumnDecoder.Create(Of("txid_snapshot", name: "snap"), PgAvroOptions.Default);

        Assert.That(decoder.Decode("10:20:10,14,15"), Is.EqualTo("10:20:10,14,15"));
        Assert.That(decoder.ValueType, Is.EqualTo(AvroSchemas.String));
        Assert.That(decoder.FallbackWarning, Does.Contain("\"snap\"").And.Contains("txid_snapshot"));
    }

    [Test]
    public void Decode_EnumAndRange_KeepTextWithoutWarning()
    {
        var mood = PgColumnDecoder.Create(UserDefined("mood", PgTypeKind.Enum), PgAvroOptions.Default);
        var range = PgColumnDecoder.Create(UserDefined("floatrange", PgTypeKind.Range), PgAvroOptions.Default);
        var composite = PgColumnDecoder.Create(UserDefined("pair", PgTypeKind.Composite), PgAvroOptions.Default);

        Assert.That(mood.Decode("happy"), Is.EqualTo("happy"));
        Assert.That(mood.FallbackWarning, Is.Null);
        Assert.That(range.FallbackWarning, Is.Null);
        Assert.That(composite.FallbackWarning, Is.Not.Null);
    }

    [Test]
    public void Decode_Null_GivesNull() => Assert.That(Decode(Of("int4"), null), Is.Null);

    [TestCase("int4", "12x")]
    [TestCase("int2", "40000")]
    [TestCase("bool", "true")]
    [TestCase("date", "2024-02-30")]
    [TestCase("time", "24:00:01")]
    [TestCase("numeric", "1.2.3")]
    [TestCase("bytea", "\\xabc")]
    public void Decode_BadText_ThrowsNamingColumnAndType(string type, string text) =>
        Assert.That(() => Decode(Of(type, name: "Order Id"), text),
            Throws.TypeOf<PgValueDecodingException>()
                .With.Message.Contains("column \"Order Id\"")
                .And.Message.Contains(text)
                .And.Property(nameof(PgValueDecodingException.ColumnName)).EqualTo("Order Id"));

    [Test]
    public void Decode_LongBadText_ShowsOnlyItsStart()
    {
        var text = "x" + new string('9', 10_000);
        Assert.That(() => Decode(Of("int8"), text),
            Throws.TypeOf<PgValueDecodingException>().With.Message.Length.LessThan(600).And.Message.Contains("10001 characters"));
    }

    [Test]
    public void UnavailableValue_StringAndBytesBranches_GivePlaceholder()
    {
        Assert.That(PgColumnDecoder.Create(Of("text"), PgAvroOptions.Default).UnavailableValue, Is.EqualTo("__kafkacdc_unavailable_value"));
        Assert.That(PgColumnDecoder.Create(Of("numeric"), PgAvroOptions.Default).UnavailableValue, Is.EqualTo("__kafkacdc_unavailable_value"));
        Assert.That(PgColumnDecoder.Create(Of("int4", dimensions: 1), PgAvroOptions.Default).UnavailableValue, Is.EqualTo("__kafkacdc_unavailable_value"));
        Assert.That(PgColumnDecoder.Create(Of("bytea"), PgAvroOptions.Default).UnavailableValue,
            Is.EqualTo("__kafkacdc_unavailable_value"u8.ToArray()));
    }

    [Test]
    public void UnavailableValue_FixedLengthType_Throws()
    {
        var decoder = PgColumnDecoder.Create(Of("int4"), PgAvroOptions.Default);
        Assert.That(decoder.CanBeUnavailable, Is.False);
        Assert.That(() => decoder.UnavailableValue, Throws.InvalidOperationException);
    }
}
