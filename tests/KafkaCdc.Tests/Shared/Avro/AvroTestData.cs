using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

/// <summary>Helpers shared by the Avro tests.</summary>
internal static class AvroTestData
{
    public static byte[] Encode(AvroSchema schema, object? datum) => new AvroDatumWriter(schema).Serialize(datum);

    public static object? Decode(AvroSchema schema, byte[] body) => new AvroDatumReader(schema).Read(body);

    public static object? RoundTrip(AvroSchema schema, object? datum) => Decode(schema, Encode(schema, datum));

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
