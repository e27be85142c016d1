using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

/// <summary>Random and corrupted bodies must only ever produce a datum or an <see cref="AvroDecodingException"/>.</summary>
public class DecodingFuzzTests
{
    private static readonly RecordSchema Schema = (RecordSchema)AvroSchema.Parse("""
        {"type":"record","name":"Fuzz","namespace":"f","fields":[
          {"name":"i","type":"int"},{"name":"l","type":"long"},{"name":"b","type":"boolean"},
          {"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"s","type":"string"},{"name":"by","type":"bytes"},
          {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
          {"name":"fx","type":{"type":"fixed","name":"Fx","size":3}},
          {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":30,"scale":4}},
          {"name":"fdec","type":{"type":"fixed","name":"FDec","size":8,"logicalType":"decimal","precision":18,"scale":2}},
          {"name":"arr","type":{"type":"array","items":["null","string",{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]}]}},
          {"name":"map","type":{"type":"map","values":{"type":"array","items":"long"}}},
          {"name":"nulls","type":{"type":"array","items":"null"}},
          {"name":"next","type":["null","Fuzz"]}]}
        """);

    [Test]
    public void Read_RandomAndMutatedBodies_OnlyEverThrowDecodingException()
    {
        var random = new Random(20240611);
        var reader = new AvroDatumReader(Schema);
        var valid = Encode(Schema, SampleRecord(depth: 2));
        Assert.That(reader.Read(valid), Is.Not.Null, "the seed body is valid");

        int decoded = 0, rejected = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var body = Mutate(valid, random, round);
            try
            {
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

    private static byte[] Mutate(byte[] valid, Random random, int round)
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
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

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

    private static GenericRecord SampleRecord(int depth)
    {
        var e = (EnumSchema)Schema.GetField("e").Schema;
        var r = (RecordSchema)((UnionSchema)((ArraySchema)Schema.GetField("arr").Schema).Items).Branches[2];
        return new GenericRecord(Schema, [
            -5, long.MaxValue, true, 1.5f, -0.25, "héllo", new byte[] { 1, 2, 3 }, new GenericEnum(e, "C"),
            new byte[] { 7, 8, 9 }, AvroDecimal.Parse("-1234.5678"), AvroDecimal.Parse("99.99"),
            new List<object?> { null, "x", new GenericRecord(r, [42]) },
            new Dictionary<string, object?> { ["k"] = new List<object?> { 1L, 2L }, ["empty"] = new List<object?>() },
            new List<object?> { null, null },
            depth > 0 ? SampleRecord(depth - 1) : null,
        ]);
    }
}
