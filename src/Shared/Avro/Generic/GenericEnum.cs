namespace KafkaCdc.Shared.Avro;

/// <summary>An enum value: its <see cref="EnumSchema"/> and symbol.</summary>
public sealed class GenericEnum : IEquatable<GenericEnum>
{
    /// <summary>Creates the value <paramref name="symbol"/> of <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The enum has no such symbol.</exception>
    public GenericEnum(EnumSchema schema, string symbol)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(symbol);
        var index = schema.IndexOf(symbol);
        if (index < 0)
        {
            throw new ArgumentException($"enum '{schema.FullName}' has no symbol '{symbol}'", nameof(symbol));
        }

        Schema = schema;
        Symbol = symbol;
        Index = index;
    }

    /// <summary>Creates the value at <paramref name="index"/> of <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not that of a symbol.</exception>
    public GenericEnum(EnumSchema schema, int index)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, schema.Symbols.Count);
        Schema = schema;
        Symbol = schema.Symbols[index];
        Index = index;
    }

    /// <summary>The enum's schema.</summary>
    public EnumSchema Schema { get; }

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The symbol's index in <see cref="EnumSchema.Symbols"/>, which is what gets encoded.</summary>
    public int Index { get; }

    /// <summary>Same enum full name and symbol.</summary>
    public bool Equals(GenericEnum? other) =>
        other is not null && other.Symbol == Symbol && other.Schema.FullName == Schema.FullName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericEnum);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Schema.FullName, Symbol);

    /// <summary>The symbol.</summary>
    public override string ToString() => Symbol;
}
