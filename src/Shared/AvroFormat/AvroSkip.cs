using System.Text.Unicode;
using Avro;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Steps over one datum of a schema in Avro's binary encoding without building it, checking what a reader would
/// (union indexes, enum symbols, block sizes, UTF-8). Compiled once per schema; the sink's fast path uses it for the
/// envelope fields it does not need and to find the extent of a field it hands to Apache.Avro.
/// </summary>
public abstract class AvroSkip
{
    /// <summary>Reads past one datum.</summary>
    /// <exception cref="AvroDecodingException">The bytes are not a datum of the schema.</exception>
    public abstract void Read(ref AvroBinaryReader reader);

    /// <summary>The skip of <paramref name="schema"/>'s datums.</summary>
    public static AvroSkip For(Schema schema) => For(schema, new Dictionary<string, RecordSkip>(StringComparer.Ordinal));

    static AvroSkip For(Schema schema, Dictionary<string, RecordSkip> records)
    {
        switch (schema)
        {
            case LogicalSchema logical:
                return For(logical.BaseSchema, records);
            case UnionSchema union:
                return new UnionSkip([.. union.Schemas.Select(b => For(b, records))]);
            case RecordSchema record:
                if (records.TryGetValue(record.Fullname, out var known)) return known; // recursive: its fields are filled in below
                var skip = new RecordSkip();
                records[record.Fullname] = skip;
                skip.Fields = [.. record.Fields.Select(f => For(f.Schema, records))];
                return skip;
            case ArraySchema array:
                return new BlockSkip(For(array.ItemSchema, records), null);
            case MapSchema map:
                return new BlockSkip(For(map.ValueSchema, records), new StringSkip());
            case FixedSchema fixedSchema:
                return new FixedSkip(fixedSchema.Size);
            case EnumSchema enumSchema:
                return new EnumSkip(enumSchema.Count);
        }

        return schema.Tag switch
        {
            Schema.Type.Null => new NullSkip(),
            Schema.Type.Boolean => new BooleanSkip(),
            Schema.Type.Int => new IntSkip(),
            Schema.Type.Long => new LongSkip(),
            Schema.Type.Float => new FixedSkip(4),
            Schema.Type.Double => new FixedSkip(8),
            Schema.Type.Bytes => new BytesSkip(),
            Schema.Type.String => new StringSkip(),
            _ => throw new ArgumentException($"cannot skip Avro {schema}", nameof(schema)),
        };
    }

    sealed class NullSkip : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
        }
    }

    sealed class BooleanSkip : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadBoolean();
    }

    sealed class IntSkip : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadInt();
    }

    sealed class LongSkip : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadLong();
    }

    sealed class FixedSkip(int size) : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadFixed(size);
    }

    sealed class BytesSkip : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadBytesSpan();
    }

    sealed class StringSkip : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
            var bytes = reader.ReadBytesSpan();
            if (!Utf8.IsValid(bytes)) throw new AvroDecodingException("string is not valid UTF-8", reader.Position - bytes.Length);
        }
    }

    sealed class EnumSkip(int symbols) : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
            var start = reader.Position;
            var index = reader.ReadInt();
            if ((uint)index >= (uint)symbols) throw new AvroDecodingException($"enum index {index} out of range: the enum has {symbols} symbols", start);
        }
    }

    sealed class UnionSkip(AvroSkip[] branches) : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
            var start = reader.Position;
            var index = reader.ReadLong();
            if ((ulong)index >= (ulong)branches.Length)
                throw new AvroDecodingException($"union index {index} out of range: the union has {branches.Length} branches", start);
            branches[index].Read(ref reader);
        }
    }

    sealed class RecordSkip : AvroSkip
    {
        public AvroSkip[] Fields { get; set; } = [];

        public override void Read(ref AvroBinaryReader reader)
        {
            foreach (var field in Fields) field.Read(ref reader);
        }
    }

    /// <summary>Arrays (items) and maps (a string key before each value): blocks of items until a zero count.</summary>
    sealed class BlockSkip(AvroSkip item, AvroSkip? key) : AvroSkip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
            for (var count = reader.ReadBlockCount(); count != 0; count = reader.ReadBlockCount())
            {
                for (var i = 0L; i < count; i++)
                {
                    key?.Read(ref reader);
                    item.Read(ref reader);
                }
            }
        }
    }
}
