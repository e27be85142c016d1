using System.Numerics;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

/// <summary>
/// <see cref="PgTextRowDecoder"/> against the generic path it replaces (<see cref="AvroGenericReader"/>, then each field's
/// <see cref="PgColumnEncoder"/>): the same text for every value, at the edges of each fast case. The real server's
/// proof over every contract type is <c>TypeRoundTripTests.TextRowDecoder_EveryTypeAndExtremeValue_GivesTheEncodersText</c>.
/// </summary>
public class PgTextRowDecoderTests
{
    private static readonly RecordSchema s_row = (RecordSchema)Schema.Parse("""
        {"type": "record", "name": "Value", "fields": [
          {"name": "b", "type": ["null", "boolean"]},
          {"name": "i", "type": "int"},
          {"name": "l", "type": ["null", "long"]},
          {"name": "f", "type": "float"},
          {"name": "d", "type": ["double", "null"]},
          {"name": "s", "type": ["null", "string"]},
          {"name": "u", "type": {"type": "string", "logicalType": "uuid"}},
          {"name": "dt", "type": {"type": "int", "logicalType": "date"}},
          {"name": "t", "type": {"type": "long", "logicalType": "time-micros"}},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
          {"name": "lts", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
          {"name": "tsm", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "n", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 40, "scale": 2}, "string"]},
          {"name": "n0", "type": {"type": "bytes", "logicalType": "decimal", "precision": 30, "scale": 0}},
          {"name": "nf", "type": {"type": "fixed", "name": "F", "size": 9, "logicalType": "decimal", "precision": 20, "scale": 5}},
          {"name": "bytes", "type": ["null", "bytes"]},
          {"name": "b64", "type": "string", "kafkacdc.encoding": "base64"},
          {"name": "arr", "type": ["null", {"type": "array", "items": ["null", "string"]}, "string"]}
        ]}
        """);

    private static IEnumerable<TestCaseData> Rows()
    {
        TestCaseData Case(string name, params object?[] values) => new TestCaseData((object)values).SetName($"Read_{name}_GivesTheEncodersText");

        yield return Case("Ordinary", true, 42, 1234567890123L, 1.5f, 0.1, "text with\ttab and é😀", "0e4f1d2c-0000-4000-8000-000000000001",
            19782, 45_296_500_000L, 1_705_314_030_123_456L, 1_705_314_030_000_000L, 1_705_314_030_123L, new AvroDecimal(123456, 2), new AvroDecimal(-7, 0),
            new AvroDecimal(1, 5), new byte[] { 0xde, 0xad }, "3q0=", new object?[] { "a", null, "NULL" });
        yield return Case("Extremes", false, int.MinValue, long.MinValue, float.MaxValue, -1.7976931348623157e+308, "", "00000000-0000-0000-0000-000000000000",
            -2440588, 0L, -210_866_803_200_000_000L, long.MaxValue, long.MinValue, new AvroDecimal(long.MinValue, 2), new AvroDecimal(BigInteger.Parse("-" + new string('9', 30)), 0),
            new AvroDecimal(BigInteger.Parse("-99999999999999999999"), 5), Array.Empty<byte>(), "", Array.Empty<object>());
        yield return Case("Maxima", null, int.MaxValue, long.MaxValue, float.Epsilon, 5e-324, "\\back\\slash\n", "ffffffff-ffff-ffff-ffff-ffffffffffff",
            int.MaxValue, 86_400_000_000L, 9_223_371_331_200_000_000L, long.MinValue, 9_223_372_036_854_775L, new AvroDecimal(long.MaxValue, 2), new AvroDecimal(long.MaxValue, 0),
            new AvroDecimal(BigInteger.Parse("99999999999999999999"), 5), null, "AA==", "[0:1]={1,2}");
        yield return Case("SmallAndSpecial", null, -1, null, float.NaN, null, null, "a", int.MinValue, 1L, -1L, -62_135_596_800_000_001L, -1L, "NaN",
            new AvroDecimal(0, 0), new AvroDecimal(-1, 5), null, "", null);
        yield return Case("Fractions", true, 0, 0L, -0.0f, double.NegativeInfinity, "x", "b", -719_529, 1_000_010L, -1L, 1L, 0L, new AvroDecimal(-1, 2),
            new AvroDecimal(100, 0), new AvroDecimal(123456789, 5), new byte[] { 0 }, "AQID", null);
        yield return Case("Placeholders", null, 1, 1L, 1e30f, 1e100, PgUnavailableValue.Text, PgUnavailableValue.Text, 0, 0L, 0L, 0L, 0L, PgUnavailableValue.Text,
            new AvroDecimal(1, 0), new AvroDecimal(1, 5), PgUnavailableValue.Bytes, "X19rYWZrYWNkY191bmF2YWlsYWJsZV92YWx1ZQ==", PgUnavailableValue.Text);
    }

    [TestCaseSource(nameof(Rows))]
    public void Read(object?[] values)
    {
        var datum = AvroSchemas.NewRecord(s_row, values);
        var bytes = new AvroGenericWriter(s_row).Serialize(datum);
        var generic = (GenericRecord)new AvroGenericReader(s_row).Read(bytes)!;

        var reader = new AvroBinaryReader(bytes);
        var row = PgTextRowDecoder.For(s_row).Read(ref reader);
        reader.ExpectEnd();

        Assert.That(row.FieldCount, Is.EqualTo(s_row.Fields.Count));
        Assert.Multiple(() =>
        {
            foreach (var field in s_row.Fields)
            {
                var encoder = PgColumnEncoder.For(field);
                var value = generic.GetValue(field.Pos);
                if (PgUnavailableValue.For(field.Schema) is not null && encoder.IsUnavailable(value))
                {
                    Assert.That(row.IsUnavailable(field.Pos), Is.True, field.Name);
                    Assert.That(row.HasUnavailable, Is.True);
                    continue;
                }
                Assert.That(row.IsUnavailable(field.Pos), Is.False, field.Name);
                Assert.That(row.TextOf(field.Pos), Is.EqualTo(encoder.Encode(value)), field.Name);
            }
        });
    }

    [Test]
    public void Read_CorruptString_ThrowsAvroDecodingException()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type": "record", "name": "R", "fields": [{"name": "s", "type": "string"}]}""");
        byte[] bytes = [0x04, 0xc3, 0x28];

        Assert.That(() =>
        {
            var reader = new AvroBinaryReader(bytes);
            PgTextRowDecoder.For(schema).Read(ref reader);
        }, Throws.InstanceOf<AvroDecodingException>());
    }

    [Test]
    public void Read_UnionIndexOutOfRange_ThrowsAvroDecodingException()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type": "record", "name": "R", "fields": [{"name": "s", "type": ["null", "long"]}]}""");
        byte[] bytes = [0x04];

        Assert.That(() =>
        {
            var reader = new AvroBinaryReader(bytes);
            PgTextRowDecoder.For(schema).Read(ref reader);
        }, Throws.InstanceOf<AvroDecodingException>());
    }
}
