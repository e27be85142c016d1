using System.Collections;
using System.Numerics;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A union: picks the branch from the value's runtime type, with the choices worked out once per union. null goes
/// to the null branch; <see cref="GenericRecord"/>, <see cref="GenericEnum"/> and <see cref="GenericFixed"/> to the
/// branch of the same full name; other values to the first compatible branch, an integer or float widening
/// (int → long → float → double) only when no branch of its own type exists.
/// </summary>
internal sealed class UnionEncoder : DatumEncoder
{
    private readonly DatumEncoder[] _branches;
    private readonly (string FullName, int Index)[] _named;
    private readonly int[] _enumBranches;
    private readonly int _null, _boolean, _int, _long, _float, _double, _string, _bytes, _decimal;
    private readonly int _uuid, _date, _time, _timestamp, _array, _map;
    private readonly int[] _fixedBranches;

    public UnionEncoder(UnionSchema schema, DatumEncoder[] branches)
        : base(schema)
    {
        _branches = branches;
        var all = schema.Branches;
        int First(Func<AvroSchema, bool> match)
        {
            for (var i = 0; i < all.Count; i++)
            {
                if (match(all[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        int FirstOf(params AvroType[] types)
        {
            foreach (var type in types)
            {
                var index = First(b => b.Type == type);
                if (index >= 0)
                {
                    return index;
                }
            }

            return -1;
        }

        _null = FirstOf(AvroType.Null);
        _boolean = FirstOf(AvroType.Boolean);
        _int = FirstOf(AvroType.Int, AvroType.Long, AvroType.Float, AvroType.Double);
        _long = FirstOf(AvroType.Long, AvroType.Float, AvroType.Double);
        _float = FirstOf(AvroType.Float, AvroType.Double);
        _double = FirstOf(AvroType.Double);
        _string = FirstOf(AvroType.String);
        _bytes = FirstOf(AvroType.Bytes);
        _decimal = First(b => b.LogicalType is DecimalLogicalType);
        _uuid = First(b => b.LogicalType?.Kind == LogicalTypeKind.Uuid);
        _date = First(b => b.LogicalType?.Kind == LogicalTypeKind.Date);
        _time = First(b => b.LogicalType?.Kind is LogicalTypeKind.TimeMillis or LogicalTypeKind.TimeMicros);
        _timestamp = First(b => b.LogicalType?.Kind is LogicalTypeKind.TimestampMillis or LogicalTypeKind.TimestampMicros
            or LogicalTypeKind.LocalTimestampMillis or LogicalTypeKind.LocalTimestampMicros);
        _array = FirstOf(AvroType.Array);
        _map = FirstOf(AvroType.Map);
        _named = [.. all.Select((b, i) => (b, i)).Where(p => p.b is NamedSchema).Select(p => (((NamedSchema)p.b).FullName, p.i))];
        _enumBranches = [.. all.Select((b, i) => (b, i)).Where(p => p.b is EnumSchema).Select(p => p.i)];
        _fixedBranches = [.. all.Select((b, i) => (b, i)).Where(p => p.b is FixedSchema).Select(p => p.i)];
    }

    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        var index = Select(value);
        if (index < 0)
        {
            throw Invalid($"no branch of union {Schema.ToJson()} accepts a value of type {DescribeValue(value)}");
        }

        writer.WriteUnionIndex(index);
        _branches[index].Write(ref writer, value);
    }

    private int Select(object? value) => value switch
    {
        null => _null,
        string text => _string >= 0 ? _string : EnumWithSymbol(text),
        long => _long,
        int or short or sbyte or byte or ushort => _int,
        uint => _long,
        double => _double,
        float => _float,
        bool => _boolean,
        GenericRecord record => Named(record.Schema.FullName),
        GenericEnum symbol => Named(symbol.Schema.FullName),
        GenericFixed fixedValue => Named(fixedValue.Schema.FullName),
        AvroDecimal or decimal or BigInteger => _decimal,
        DateTime or DateTimeOffset => _timestamp,
        DateOnly => _date,
        TimeOnly or TimeSpan => _time,
        Guid => _uuid,
        byte[] bytes => _bytes >= 0 ? _bytes : FixedOfSize(bytes.Length),
        ReadOnlyMemory<byte> or ArraySegment<byte> => _bytes,
        IDictionary or IReadOnlyDictionary<string, object?> => _map,
        IEnumerable => _array,
        _ => -1,
    };

    private int Named(string fullName)
    {
        foreach (var (name, index) in _named)
        {
            if (name == fullName)
            {
                return index;
            }
        }

        return -1;
    }

    private int EnumWithSymbol(string symbol)
    {
        foreach (var index in _enumBranches)
        {
            if (((EnumSchema)_branches[index].Schema).IndexOf(symbol) >= 0)
            {
                return index;
            }
        }

        return -1;
    }

    private int FixedOfSize(int size)
    {
        foreach (var index in _fixedBranches)
        {
            if (((FixedSchema)_branches[index].Schema).Size == size)
            {
                return index;
            }
        }

        return -1;
    }
}
