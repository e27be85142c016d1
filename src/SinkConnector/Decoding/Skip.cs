using System.Text.Unicode;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// Reads past one Avro value of a schema, checking it exactly as <see cref="AvroDatumReader"/> does (ranges, lengths,
/// UTF-8, union indexes) without keeping it: primitives and unions of them in place, anything else through the generic
/// reader. For the envelope fields the sink does not use (<see cref="EnvelopeTextDecoder"/>).
/// </summary>
internal abstract class Skip
{
    public abstract void Read(ref AvroBinaryReader reader);

    public static Skip For(AvroSchema schema)
    {
        if (schema is UnionSchema union) return new UnionSkip([.. union.Branches.Select(For)]);
        if (schema is not PrimitiveSchema || schema.LogicalType is DecimalLogicalType) return new GenericSkip(new AvroDatumReader(schema));
        return schema.Type switch
        {
            AvroType.Null => new NullSkip(),
            AvroType.Boolean => new BooleanSkip(),
            AvroType.Int => new IntSkip(),
            AvroType.Long => new LongSkip(),
            AvroType.Float => new FloatSkip(),
            AvroType.Double => new DoubleSkip(),
            AvroType.Bytes => new BytesSkip(),
            AvroType.String => new StringSkip(),
            _ => new GenericSkip(new AvroDatumReader(schema)),
        };
    }

    sealed class NullSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
        }
    }

    sealed class BooleanSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadBoolean();
    }

    sealed class IntSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadInt();
    }

    sealed class LongSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadLong();
    }

    sealed class FloatSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadFloat();
    }

    sealed class DoubleSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadDouble();
    }

    sealed class BytesSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => reader.ReadBytesSpan();
    }

    sealed class StringSkip : Skip
    {
        public override void Read(ref AvroBinaryReader reader)
        {
            var bytes = reader.ReadBytesSpan();
            if (!Utf8.IsValid(bytes)) throw new AvroDecodingException("string is not valid UTF-8", reader.Position - bytes.Length);
        }
    }

    sealed class UnionSkip(Skip[] branches) : Skip
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

    sealed class GenericSkip(AvroDatumReader datumReader) : Skip
    {
        public override void Read(ref AvroBinaryReader reader) => datumReader.Read(ref reader);
    }
}
