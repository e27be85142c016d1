using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Tests.Shared.SchemaRegistry.Serdes;

/// <summary>A change-event-like key and value, as the source connector would produce them.</summary>
static class SerdesTestData
{
    public const string KeyJson =
        """{"type":"record","name":"Key","namespace":"shop.orders","fields":[{"name":"id","type":"long"}]}""";

    public const string ValueJson =
        """
        {"type":"record","name":"Value","namespace":"shop.orders","fields":[
          {"name":"id","type":"long"},
          {"name":"customer","type":"string"},
          {"name":"note","type":["null","string"],"default":null},
          {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
          {"name":"placed_at","type":{"type":"long","logicalType":"timestamp-micros"}}]}
        """;

    public static RecordSchema Key { get; } = (RecordSchema)Schema.Parse(KeyJson);

    public static RecordSchema Value { get; } = (RecordSchema)Schema.Parse(ValueJson);

    public static GenericRecord KeyOf(long id) => AvroSchemas.NewRecord(Key, id);

    public static GenericRecord ValueOf(long id, string? note = null) =>
        AvroSchemas.NewRecord(Value, id, $"customer {id}", note, new AvroDecimal(12345 + id, 2), 1_700_000_000_000_000L + id);
}
