using System.Collections;
using System.Runtime.InteropServices;

namespace KafkaCdc.Shared.Avro;

/// <summary>An array: accepts any <see cref="IList"/> (e.g. <see cref="List{T}"/> of object, arrays) or other non-string <see cref="IEnumerable"/>, written as one block.</summary>
internal sealed class ArrayEncoder(ArraySchema schema, DatumEncoder items) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        switch (value)
        {
            case List<object?> list:
                WriteItems(ref writer, CollectionsMarshal.AsSpan(list));
                break;
            case object?[] array:
                WriteItems(ref writer, array);
                break;
            case IList list:
                if (list.Count > 0)
                {
                    writer.WriteBlockCount(list.Count);
                    for (var i = 0; i < list.Count; i++)
                    {
                        WriteItem(ref writer, list[i], i);
                    }
                }

                writer.WriteBlockCount(0);
                break;
            case IEnumerable sequence and not string:
                WriteItems(ref writer, CollectionsMarshal.AsSpan(sequence.Cast<object?>().ToList()));
                break;
            default:
                throw Mismatch(value);
        }
    }

    private void WriteItems(ref AvroBinaryWriter writer, ReadOnlySpan<object?> values)
    {
        if (values.Length > 0)
        {
            writer.WriteBlockCount(values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                WriteItem(ref writer, values[i], i);
            }
        }

        writer.WriteBlockCount(0);
    }

    private void WriteItem(ref AvroBinaryWriter writer, object? value, int index)
    {
        try
        {
            items.Write(ref writer, value);
        }
        catch (AvroEncodingException e) when (e.PrependIndex(index))
        {
            throw;
        }
    }
}

/// <summary>A map: accepts <see cref="IDictionary{TKey,TValue}"/> or <see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to object, or an <see cref="IDictionary"/> with string keys, written as one block.</summary>
internal sealed class MapEncoder(MapSchema schema, DatumEncoder values) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        switch (value)
        {
            case Dictionary<string, object?> dictionary:
                WriteCount(ref writer, dictionary.Count);
                foreach (var (key, item) in dictionary)
                {
                    WriteEntry(ref writer, key, item);
                }

                break;
            case IDictionary<string, object?> dictionary:
                WriteCount(ref writer, dictionary.Count);
                foreach (var (key, item) in dictionary)
                {
                    WriteEntry(ref writer, key, item);
                }

                break;
            case IReadOnlyDictionary<string, object?> dictionary:
                WriteCount(ref writer, dictionary.Count);
                foreach (var (key, item) in dictionary)
                {
                    WriteEntry(ref writer, key, item);
                }

                break;
            case IDictionary dictionary:
                WriteCount(ref writer, dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    WriteEntry(ref writer, entry.Key as string ?? throw Invalid($"map keys must be strings, got {DescribeValue(entry.Key)}"), entry.Value);
                }

                break;
            default:
                throw Mismatch(value);
        }

        writer.WriteBlockCount(0);
    }

    private static void WriteCount(ref AvroBinaryWriter writer, int count)
    {
        if (count > 0)
        {
            writer.WriteBlockCount(count);
        }
    }

    private void WriteEntry(ref AvroBinaryWriter writer, string key, object? item)
    {
        writer.WriteString(key);
        try
        {
            values.Write(ref writer, item);
        }
        catch (AvroEncodingException e) when (e.PrependKey(key))
        {
            throw;
        }
    }
}
