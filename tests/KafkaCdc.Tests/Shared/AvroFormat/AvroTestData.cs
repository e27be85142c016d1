using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Tests.Shared.AvroFormat;

/// <summary>Helpers shared by the Avro tests: Apache.Avro is the reference codec.</summary>
internal static class AvroTestData
{
    public static byte[] Encode(Schema schema, object? datum) => new AvroGenericWriter(schema).Serialize(datum);

    public static object? Decode(Schema schema, byte[] body) => new AvroGenericReader(schema).Read(body);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
