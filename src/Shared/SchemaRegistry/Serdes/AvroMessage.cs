using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Shared.SchemaRegistry.Serdes;

/// <summary>A decoded Kafka key or value.</summary>
/// <param name="SchemaId">The schema id from the message's header.</param>
/// <param name="WriterSchema">The schema the producer wrote with, from the registry.</param>
/// <param name="Datum">The value in the generic representation (<see cref="GenericRecord"/> for records; see <c>src/Shared/Avro/README.md</c>).</param>
public readonly record struct AvroMessage(int SchemaId, AvroSchema WriterSchema, object? Datum);
