namespace KafkaCdc.Shared.Avro;

/// <summary>Builds the encoder tree of a schema and caches it on the schema instance.</summary>
internal sealed class EncoderCompiler
{
    private readonly Dictionary<RecordSchema, RecordEncoder> _records = new(ReferenceEqualityComparer.Instance);

    private EncoderCompiler()
    {
    }

    public static DatumEncoder For(AvroSchema schema)
    {
        if (schema.CompiledEncoderSlot is DatumEncoder cached)
        {
            return cached;
        }

        var encoder = new EncoderCompiler().Compile(schema);
        // Two threads may compile at once; both trees are equivalent and the first stored wins.
        return Interlocked.CompareExchange(ref schema.CompiledEncoderSlot, encoder, null) as DatumEncoder ?? encoder;
    }

    private DatumEncoder Compile(AvroSchema schema)
    {
        switch (schema)
        {
            case RecordSchema record:
                if (_records.TryGetValue(record, out var existing))
                {
                    return existing;
                }

                // Registered before its fields are compiled, so a recursive record reuses this node.
                var recordEncoder = new RecordEncoder(record);
                _records.Add(record, recordEncoder);
                recordEncoder.SetFieldEncoders([.. record.Fields.Select(f => Compile(f.Schema))]);
                return recordEncoder;
            case ArraySchema array:
                return new ArrayEncoder(array, Compile(array.Items));
            case MapSchema map:
                return new MapEncoder(map, Compile(map.Values));
            case UnionSchema union:
                return new UnionEncoder(union, [.. union.Branches.Select(Compile)]);
            case EnumSchema enumSchema:
                return new EnumEncoder(enumSchema);
            case FixedSchema { LogicalType: DecimalLogicalType decimalType } fixedDecimal:
                return new DecimalEncoder(fixedDecimal, decimalType, fixedDecimal.Size);
            case FixedSchema fixedSchema:
                return new FixedEncoder(fixedSchema);
            default:
                return CompilePrimitive(schema);
        }
    }

    private static DatumEncoder CompilePrimitive(AvroSchema schema) => schema.LogicalType switch
    {
        DecimalLogicalType decimalType => new DecimalEncoder(schema, decimalType, -1),
        { Kind: LogicalTypeKind.Uuid } => new UuidEncoder(schema),
        { Kind: LogicalTypeKind.Date } => new DateEncoder(schema),
        { Kind: LogicalTypeKind.TimeMillis or LogicalTypeKind.TimeMicros } => new TimeEncoder(schema),
        { Kind: LogicalTypeKind.TimestampMillis or LogicalTypeKind.TimestampMicros
            or LogicalTypeKind.LocalTimestampMillis or LogicalTypeKind.LocalTimestampMicros } => new TimestampEncoder(schema),
        _ => schema.Type switch
        {
            AvroType.Null => new NullEncoder(schema),
            AvroType.Boolean => new BooleanEncoder(schema),
            AvroType.Int => new IntEncoder(schema),
            AvroType.Long => new LongEncoder(schema),
            AvroType.Float => new FloatEncoder(schema),
            AvroType.Double => new DoubleEncoder(schema),
            AvroType.Bytes => new BytesEncoder(schema),
            _ => new StringEncoder(schema),
        },
    };
}
