using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.SchemaRegistry.Serdes;

/// <summary>A decoded Kafka key or value.</summary>
/// <param name="SchemaId">The schema id from the message's header.</param>
/// <param name="WriterSchema">The schema the producer wrote with, from the registry.</param>
/// <param name="Datum">The value in the generic representation (<see cref="GenericRecord"/> for records; dates and times as raw numbers: <see cref="AvroGenericReader"/>).</param>
public readonly record struct AvroMessage(int SchemaId, Schema WriterSchema, object? Datum);
