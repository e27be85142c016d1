using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using static KafkaCdc.Tests.Shared.Postgres.PgTestColumns;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgColumnEncoderTests
{
    private static readonly PgAvroOptions s_base64 = new() { BinaryHandling = BinaryHandlingMode.Base64 };
    private static readonly PgAvroOptions s_hex = new() { BinaryHandling = BinaryHandlingMode.Hex };
    private static readonly PgAvroOptions s_decimalAsString = new() { DecimalHandling = DecimalHandlingMode.String };

    /// <summary>Text that PostgreSQL writes, per type: decoding then encoding gives the same text back.</summary>
    private static IEnumerable<TestCaseData> OutputTexts()
    {
        TestCaseData Case(PgColumn column, string text, PgAvroOptions? options = null, string? input = null) =>
            new TestCaseData(column, text, options ?? PgAvroOptions.Default, input ?? text).SetArgDisplayNames($"{column.Type.FormattedType}: {text[..Math.Min(text.Length, 40)]}");

        yield return Case(Of("int2"), "-32768");
        yield return Case(Of("int4"), "2147483647");
        yield return Case(Of("int8"), "-9223372036854775808");
        yield return Case(Of("oid"), "4294967295");
        foreach (var text in new[] { "NaN", "Infinity", "-Infinity", "3.4028235e+38", "1e-45", "-0", "0.1", "1.5" })
        {
            yield return Case(Of("float4"), text);
        }

        foreach (var text in new[] { "NaN", "-Infinity", "1.7976931348623157e+308", "5e-324", "-0", "0.30000000000000004", "1e+100" })
        {
            yield return Case(Of("float8"), text);
        }

        yield return Case(Of("numeric", NumericModifier(10, 2)), "-12345678.90");
        yield return Case(Of("numeric", NumericModifier(10, 2)), "NaN");
        yield return Case(Of("numeric", NumericModifier(3, -2)), "99900");
        yield return Case(Of("numeric", NumericModifier(2, 5)), "-0.00099");
        yield return Case(Of("numeric"), "0");
        yield return Case(Of("numeric"), "-0.000100");
        yield return Case(Of("numeric"), "Infinity");
        yield return Case(Of("numeric"), new string('9', 1000));
        yield return Case(Of("numeric"), "0." + new string('0', 16382) + "1");
        yield return Case(Of("numeric"), "-12.50", s_decimalAsString);
        yield return Case(Of("money"), "-$92,233,720,368,547,758.08", input: "-92233720368547758.08");
        yield return Case(Of("bool"), "t");
        yield return Case(Of("bool"), "f");
        yield return Case(Of("bytea"), "\\x00ff7f80");
        yield return Case(Of("bytea"), "\\x");
        yield return Case(Of("bytea"), "\\x00ff7f80", s_base64);
        yield return Case(Of("bytea"), "\\x00ff7f80", s_hex);
        foreach (var text in new[] { "2024-02-29", "0044-03-15 BC", "4714-11-24 BC", "5874897-12-31", "10000-01-01", "infinity", "-infinity" })
        {
            yield return Case(Of("date"), text);
        }

        foreach (var text in new[] { "00:00:00", "24:00:00", "23:59:59.999999", "12:00:00.5" })
        {
            yield return Case(Of("time"), text);
        }

        foreach (var text in new[] { "2024-01-15 10:20:30.123456", "0044-03-15 10:20:30 BC", "4714-11-24 00:00:00 BC", "294246-12-31 23:59:59.5", "infinity", "-infinity" })
        {
            yield return Case(Of("timestamp"), text);
        }

        // Instants of years 1 to 9999 go to PostgreSQL as the ISO 8601 of io.debezium.time.ZonedTimestamp, which it reads as
        // the same instant (TypeRoundTripTests.PlainIsoInstants_AsTimestamptzInput_ArePostgresInstants); others in its own form.
        yield return Case(Of("timestamptz"), "2024-01-15 10:20:30.12+00", input: "2024-01-15T10:20:30.12Z");
        yield return Case(Of("timestamptz"), "1969-12-31 23:59:59.999999+00", input: "1969-12-31T23:59:59.999999Z");
        yield return Case(Of("timestamptz"), "0001-01-01 00:00:00+00 BC");
        yield return Case(Of("timestamptz"), "-infinity");

        yield return Case(Of("uuid"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        yield return Case(Of("bpchar", 10), "ab    ");
        yield return Case(Of("text"), "Zoë 😀 \"quoted\" \\ back");
        yield return Case(Of("interval"), "P-1Y-2M3DT-4H5M6.5S");
        yield return Case(Of("txid_snapshot"), "10:20:10,14,15");
        yield return Case(Of("int4", dimensions: 1), "{1,NULL,-3}");
        yield return Case(Of("int4", dimensions: 2), "{{1,2},{NULL,4}}");
        yield return Case(Of("int4", dimensions: 1), "{}");
        yield return Case(Of("int4", dimensions: 1), "[0:1]={1,2}");
        yield return Case(Of("int4", dimensions: 1), "{{1,2},{3,4}}");
        yield return Case(Of("text", dimensions: 1), "{a,\"b c\",NULL,\"NULL\",\"\",\"x\\\\\\\"y\",\"{}\",😀}");
        yield return Case(Of("bpchar", 7, 1), "{\"a      \",abcdefg}");
        yield return Case(Of("box", dimensions: 1), "{(1,1),(0,0);(2,2),(1,1)}");
        yield return Case(Of("numeric", dimensions: 1), "{1.50,NaN,-0.001,NULL}");
        yield return Case(Of("bytea", dimensions: 1), "{\"\\\\x00ff\",NULL}");
        yield return Case(Of("bytea", dimensions: 1), "{\"\\\\x00ff\",NULL}", s_base64);
        yield return Case(Of("bytea", dimensions: 1), "[2:2]={\"\\\\x00ff\"}", s_hex);
        yield return Case(Of("date", dimensions: 1), "{2024-01-01,infinity,\"0001-12-31 BC\"}");
        yield return Case(Of("timestamptz", dimensions: 1), "{\"2024-01-15 10:20:30+00\",-infinity}", input: "{2024-01-15T10:20:30Z,-infinity}");
        yield return Case(Of("float8", dimensions: 2), "{{NaN,Infinity},{-0,1e-05}}");
        yield return Case(Of("bool", dimensions: 1), "{t,f,NULL}");
        yield return Case(Of("money", dimensions: 1), "{\"$1,000.00\",-$2.50}", input: "{1000.00,-2.50}");
    }

    [TestCaseSource(nameof(OutputTexts))]
    public void Encode_DecodedOutputText_GivesTextPostgresReadsAsTheSameValue(PgColumn column, string text, PgAvroOptions options, string input)
    {
        var table = PgTableSchema.Build("db", "public", "t", [column], options);
        var datum = table.Columns[0].Decoder.Decode(text);
        var binary = new AvroGenericWriter(table.Value).Serialize(AvroSchemas.NewRecord(table.Value, datum));
        var readBack = ((GenericRecord)new AvroGenericReader(table.Value).Read(binary)!).GetValue(0);

        var encoded = PgColumnDefinition.FromField(table.Value.Fields[0]).Encoder.Encode(readBack);

        Assert.That(encoded, Is.EqualTo(input));
    }

    [Test]
    public void Encode_Null_GivesNull() =>
        Assert.That(PgColumnEncoder.For("c", AvroSchemas.Nullable(AvroSchemas.Int)).Encode(null), Is.Null);

    [Test]
    public void Encode_VariableScaleDecimal_GivesDecimalText()
    {
        var record = AvroSchemas.NewRecord(ChangeEventSchemas.VariableScaleDecimal, 3, new byte[] { 0xff, 0x85 });
        Assert.That(PgColumnEncoder.For("c", ChangeEventSchemas.VariableScaleDecimal).Encode(record), Is.EqualTo("-0.123"));
    }

    [Test]
    public void Encode_Placeholder_IsRecognisedInStringAndBytesBranches()
    {
        var text = PgColumnEncoder.For("c", AvroSchemas.Nullable(AvroSchemas.String));
        var bytes = PgColumnEncoder.For("c", AvroSchemas.Nullable(AvroSchemas.Bytes));
        var array = PgColumnEncoder.For("c", AvroSchemas.Union(AvroSchemas.Null, AvroSchemas.Array(AvroSchemas.Int), AvroSchemas.String));
        var integer = PgColumnEncoder.For("c", AvroSchemas.Nullable(AvroSchemas.Int));

        Assert.That(text.IsUnavailable(PgUnavailableValue.Text), Is.True);
        Assert.That(text.IsUnavailable("other"), Is.False);
        Assert.That(bytes.IsUnavailable(PgUnavailableValue.Bytes), Is.True);
        Assert.That(array.IsUnavailable(PgUnavailableValue.Text), Is.True);
        Assert.That(integer.IsUnavailable(PgUnavailableValue.Text), Is.False);
    }

    [Test]
    public void Encode_ForeignLogicalTypes_GiveTextInput()
    {
        Assert.That(PgColumnEncoder.For("c", AvroSchemas.Logical(Schema.Type.Int, "time-millis")).Encode(1500), Is.EqualTo("00:00:01.5"));
        Assert.That(PgColumnEncoder.For("c", AvroSchemas.Logical(Schema.Type.Long, "timestamp-millis")).Encode(1500L), Is.EqualTo("1970-01-01 00:00:01.5+00"));
        Assert.That(PgColumnEncoder.For("c", AvroSchemas.Logical(Schema.Type.Long, "local-timestamp-millis")).Encode(-1L), Is.EqualTo("1969-12-31 23:59:59.999"));
        Assert.That(PgColumnEncoder.For("c", AvroSchemas.Decimal(5, 2)).Encode(new AvroDecimal(-5, 2)), Is.EqualTo("-0.05"));
        Assert.That(PgColumnEncoder.For("c", AvroSchemas.Named(Schema.Type.String, "io.debezium.time.ZonedTimestamp")).Encode("+10000-01-01T00:00:00.5+01:00"),
            Is.EqualTo("9999-12-31 23:00:00.5+00"));
    }

    [Test]
    public void Encode_ForeignRecordAndMap_GiveJson()
    {
        var point = AvroSchemas.Record("Point", "x",
            [new AvroSchemas.FieldDefinition("x", AvroSchemas.Double), new AvroSchemas.FieldDefinition("tags", MapSchema.CreateMap(AvroSchemas.String))]);
        var datum = AvroSchemas.NewRecord(point, 1.5, new Dictionary<string, object> { ["a\"b"] = "c" });

        Assert.That(PgColumnEncoder.For("c", point).Encode(datum), Is.EqualTo("{\"x\":1.5,\"tags\":{\"a\\u0022b\":\"c\"}}"));
    }

    [Test]
    public void Encode_WrongDatumType_ThrowsNamingColumn() =>
        Assert.That(() => PgColumnEncoder.For("Total", AvroSchemas.Nullable(AvroSchemas.Int)).Encode("x"),
            Throws.TypeOf<PgValueEncodingException>().With.Message.Contains("\"Total\""));

    [Test]
    public void Encode_InvalidBase64_ThrowsNamingColumn()
    {
        var field = PgTableSchema.Build("db", "s", "t", [Of("bytea", name: "blob")], s_base64).Value.Fields[0];
        Assert.That(() => PgColumnEncoder.For(field).Encode("not base64!"),
            Throws.TypeOf<PgValueEncodingException>().With.Message.Contains("\"blob\""));
    }
}
