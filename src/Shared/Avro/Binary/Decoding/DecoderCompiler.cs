namespace KafkaCdc.Shared.Avro;

/// <summary>Builds the decoder tree of a writer schema and caches it on the schema instance.</summary>
internal sealed class DecoderCompiler
{
    private readonly Dictionary<RecordSchema, RecordDecoder> _records = new(ReferenceEqualityComparer.Instance);

    private DecoderCompiler()
    {
    }

    public static DatumDecoder For(AvroSchema schema)
    {
        if (schema.CompiledDecoderSlot is DatumDecoder cached)
        {
            return cached;
        }

        var decoder = new DecoderCompiler().Compile(schema);
        return Interlocked.CompareExchange(ref schema.CompiledDecoderSlot, decoder, null) as DatumDecoder ?? decoder;
    }

    private DatumDecoder Compile(AvroSchema schema)
    {
        switch (schema)
        {
            case RecordSchema record:
                if (_records.TryGetValue(record, out var existing))
                {
                    // A recursive reference: its minimum size is not known yet, and 0 is a safe lower bound.
                    return existing;
                }

                var recordDecoder = new RecordDecoder(record);
                _records.Add(record, recordDecoder);
                DatumDecoder[] fields = [.. record.Fields.Select(f => Compile(f.Schema))];
                recordDecoder.SetFieldDecoders(fields, (int)Math.Min(int.MaxValue, fields.Sum(f => (long)f.MinimumSize)));
                return recordDecoder;
            case ArraySchema array:
                return new ArrayDecoder(array, Compile(array.Items));
            case MapSchema map:
                return new MapDecoder(map, Compile(map.Values));
            case UnionSchema union:
                return new UnionDecoder(union, [.. union.Branches.Select(Compile)]);
            case EnumSchema enumSchema:
                return new EnumDecoder(enumSchema);
            case FixedSchema { LogicalType: DecimalLogicalType decimalType } fixedDecimal:
                return new DecimalDecoder(fixedDecimal, decimalType, fixedDecimal.Size);
            case FixedSchema fixedSchema:
                return new FixedDecoder(fixedSchema);
            case { LogicalType: DecimalLogicalType decimalType }:
                return new DecimalDecoder(schema, decimalType, -1);
            default:
                // Every other logical type decodes to its underlying primitive.
                return schema.Type switch
                {
                    AvroType.Null => new NullDecoder(schema),
                    AvroType.Boolean => new BooleanDecoder(schema),
                    AvroType.Int => new IntDecoder(schema),
                    AvroType.Long => new LongDecoder(schema),
                    AvroType.Float => new FloatDecoder(schema),
                    AvroType.Double => new DoubleDecoder(schema),
                    AvroType.Bytes => new BytesDecoder(schema),
                    _ => new StringDecoder(schema),
                };
        }
    }
}
