using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.Postgres;
using static KafkaCdc.Tests.Shared.AvroFormat.AvroTestData;

namespace KafkaCdc.Tests.Shared.AvroFormat;

/// <summary>
/// Random and corrupted bodies must only ever produce a datum or an <see cref="AvroDecodingException"/>: the sink reads
/// bytes anyone may have produced, and a bad record must be reported as such (then dead-lettered or stop its table),
/// never crash it with another exception or a huge allocation.
/// </summary>
public class DecodingFuzzTests
{
    static readonly RecordSchema s_schema = (RecordSchema)Schema.Parse("""
        {"type":"record","name":"Fuzz","namespace":"f","fields":[
          {"name":"i","type":"int"},{"name":"l","type":"long"},{"name":"b","type":"boolean"},
          {"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"s","type":"string"},{"name":"by","type":"bytes"},
          {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
          {"name":"fx","type":{"type":"fixed","name":"Fx","size":3}},
          {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":30,"scale":4}},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"arr","type":{"type":"array","items":["null","string",{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]}]}},
          {"name":"map","type":{"type":"map","values":{"type":"array","items":"long"}}},
          {"name":"next","type":["null","Fuzz"]}]}
        """);

    [Test]
    public void GenericReaderAndSkip_RandomAndMutatedBodies_OnlyEverThrowDecodingException()
    {
        var random = new Random(20240611);
        var reader = new AvroGenericReader(s_schema);
        var skip = AvroSkip.For(s_schema);
        var valid = Encode(s_schema, SampleRecord(depth: 2));
        Assert.That(reader.Read(valid), Is.Not.Null, "the seed body is valid");

        int decoded = 0, rejected = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var body = Mutate(valid, random, round);
            try
            {
                var skipping = new AvroBinaryReader(body);
                skip.Read(ref skipping);
                reader.Read(body);
                decoded++;
            }
            catch (AvroDecodingException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name} for body {Hex(body)}: {e}");
            }
        }

        Assert.That(decoded + rejected, Is.EqualTo(20_000));
        Assert.That(rejected, Is.GreaterThan(10_000), "most corruptions must be detected");
    }

    [Test]
    public void FastPath_MutatedRows_ThrowDecodingExceptionOrAgreeWithApacheAvro()
    {
        var table = PgTableSchema.Build("db", "public", "fuzz",
        [
            PgTestColumns.Of("int4", name: "i"), PgTestColumns.Of("text", name: "t"), PgTestColumns.Of("numeric", PgTestColumns.NumericModifier(12, 2), name: "n"),
            PgTestColumns.Of("timestamptz", name: "tz"), PgTestColumns.Of("timestamp", name: "ts"), PgTestColumns.Of("date", name: "d"),
            PgTestColumns.Of("bool", name: "b"), PgTestColumns.Of("float8", name: "f"), PgTestColumns.Of("int4", dimensions: 1, name: "a"),
        ]);
        var valid = Encode(table.Value, table.DecodeValue(["-7", "héllo", "12.50", "2024-05-06 07:08:09.5+00", "1999-12-31 23:59:59.999999",
            "infinity", "t", "-1.5e-300", "{1,NULL,3}"]));
        var fast = PgTextRowDecoder.For(table.Value);
        var generic = new AvroGenericReader(table.Value);
        var encoders = table.Value.Fields.Select(f => PgColumnDefinition.FromField(f).Encoder).ToArray();
        var random = new Random(7);

        for (var round = 0; round < 5_000; round++)
        {
            var body = Mutate(valid, random, round);
            string?[]? fastTexts = null, genericTexts = null;
            try
            {
                var reader = new AvroBinaryReader(body);
                var row = fast.Read(ref reader);
                reader.ExpectEnd();
                fastTexts = [.. Enumerable.Range(0, row.FieldCount).Select(row.TextOf)];
            }
            catch (Exception e) when (e is AvroDecodingException or PgValueEncodingException or FormatException or ArgumentOutOfRangeException)
            {
            }

            try
            {
                var record = (GenericRecord)generic.Read(body)!;
                genericTexts = [.. encoders.Select((encoder, i) => encoder.Encode(record.GetValue(i)))];
            }
            catch (Exception e) when (e is AvroDecodingException or PgValueEncodingException)
            {
            }

            if (fastTexts is not null && genericTexts is not null)
                Assert.That(fastTexts, Is.EqualTo(genericTexts), $"round {round}: body {Hex(body)}");
        }
    }

    static byte[] Mutate(byte[] valid, Random random, int round)
    {
        switch (round % 5)
        {
            case 0:
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return valid[..random.Next(0, valid.Length)];
            case 2:
                var flipped = (byte[])valid.Clone();
                for (var i = random.Next(1, 4); i > 0; i--) flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                return flipped;
            case 3:
                var replaced = (byte[])valid.Clone();
                replaced[random.Next(replaced.Length)] = (byte)random.Next(256);
                return replaced;
            default:
                var position = random.Next(valid.Length);
                var inserted = new byte[random.Next(1, 11)];
                random.NextBytes(inserted);
                return [.. valid[..position], .. inserted, .. valid[position..]];
        }
    }

    static GenericRecord SampleRecord(int depth)
    {
        var e = (EnumSchema)s_schema["e"].Schema;
        var fx = (FixedSchema)s_schema["fx"].Schema;
        var r = (RecordSchema)((UnionSchema)((ArraySchema)s_schema["arr"].Schema).ItemSchema).Schemas[2];
        var fixedValue = new GenericFixed(fx, [7, 8, 9]);
        return AvroSchemas.NewRecord(s_schema,
            -5, long.MaxValue, true, 1.5f, -0.25, "héllo", new byte[] { 1, 2, 3 }, new GenericEnum(e, "C"), fixedValue,
            new AvroDecimal(new System.Numerics.BigInteger(-12345678), 4), 19000,
            new object?[] { null, "x", AvroSchemas.NewRecord(r, 42) },
            new Dictionary<string, object> { ["k"] = new object[] { 1L, 2L }, ["empty"] = Array.Empty<object>() },
            depth > 0 ? SampleRecord(depth - 1) : null);
    }
}
