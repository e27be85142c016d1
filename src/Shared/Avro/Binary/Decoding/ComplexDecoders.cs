using System.Runtime.CompilerServices;

namespace KafkaCdc.Shared.Avro;

/// <summary>A record → <see cref="GenericRecord"/> of the writer schema, fields read in order.</summary>
internal sealed class RecordDecoder(RecordSchema schema) : DatumDecoder(schema, 0)
{
    private readonly RecordSchema _schema = schema;
    private DatumDecoder[] _fields = [];

    public void SetFieldDecoders(DatumDecoder[] fields, int minimumSize)
    {
        _fields = fields;
        MinimumSize = minimumSize;
    }

    public override object? Read(ref AvroBinaryReader reader)
    {
        if (++reader.Depth > RecordEncoder.MaxDepth || (reader.Depth > 64 && !RuntimeHelpers.TryEnsureSufficientExecutionStack()))
        {
            throw new AvroDecodingException($"records nest more than {reader.Depth - 1} deep", reader.Position);
        }

        var fields = _fields;
        var values = new object?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            try
            {
                values[i] = fields[i].Read(ref reader);
            }
            catch (AvroDecodingException e) when (e.PrependField(_schema.Fields[i].Name))
            {
                throw;
            }
        }

        reader.Depth--;
        return new GenericRecord(_schema, values);
    }
}

/// <summary>An array → <see cref="List{T}"/> of object.</summary>
internal sealed class ArrayDecoder(ArraySchema schema, DatumDecoder items) : DatumDecoder(schema, 1)
{
    /// <summary>Items that encode to no bytes (null, empty records) could be claimed in any number; cap them.</summary>
    internal const int MaxZeroSizeItems = 1 << 20;

    public override object? Read(ref AvroBinaryReader reader)
    {
        var list = new List<object?>();
        while (true)
        {
            var start = reader.Position;
            var count = reader.ReadBlockCount();
            if (count == 0)
            {
                return list;
            }

            CheckCount(count, list.Count, items.MinimumSize, ref reader, start);
            list.EnsureCapacity(list.Count + (int)count);
            for (var i = 0; i < count; i++)
            {
                try
                {
                    list.Add(items.Read(ref reader));
                }
                catch (AvroDecodingException e) when (e.PrependIndex(list.Count))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Rejects a block count the remaining bytes cannot hold, before anything is allocated for it.</summary>
    internal static void CheckCount(long count, int sofar, int minimumSize, ref AvroBinaryReader reader, int start)
    {
        var limit = minimumSize > 0 ? reader.Remaining / minimumSize : MaxZeroSizeItems - sofar;
        if (count > limit)
        {
            throw new AvroDecodingException(
                minimumSize > 0
                    ? $"block count {count} exceeds what the {reader.Remaining} remaining bytes can hold"
                    : $"block count {count} of zero-byte items exceeds the limit of {MaxZeroSizeItems}",
                start);
        }
    }
}

/// <summary>A map → <see cref="Dictionary{TKey,TValue}"/> of string to object; a repeated key keeps the last value.</summary>
internal sealed class MapDecoder(MapSchema schema, DatumDecoder values) : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            var start = reader.Position;
            var count = reader.ReadBlockCount();
            if (count == 0)
            {
                return map;
            }

            // Each entry holds at least its key's length byte.
            ArrayDecoder.CheckCount(count, map.Count, 1 + values.MinimumSize, ref reader, start);
            map.EnsureCapacity(map.Count + (int)count);
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                try
                {
                    map[key] = values.Read(ref reader);
                }
                catch (AvroDecodingException e) when (e.PrependKey(key))
                {
                    throw;
                }
            }
        }
    }
}

/// <summary>A union → the value of the branch its index names.</summary>
internal sealed class UnionDecoder(UnionSchema schema, DatumDecoder[] branches)
    : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader)
    {
        var start = reader.Position;
        var index = reader.ReadLong();
        return (ulong)index < (ulong)branches.Length
            ? branches[index].Read(ref reader)
            : throw new AvroDecodingException($"union index {index} out of range: the union has {branches.Length} branches", start);
    }
}
