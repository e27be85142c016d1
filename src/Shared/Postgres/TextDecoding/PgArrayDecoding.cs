namespace KafkaCdc.Shared.Postgres;

/// <summary>Decoding of array literals to nested Avro arrays, element by element.</summary>
internal static class PgArrayDecoding
{
    /// <summary>
    /// A decoder of array literals of <paramref name="dimensions"/> dimensions: nested <see cref="List{T}"/>s of
    /// element datums, or the literal itself (for the string branch) when its dimensions differ or it has explicit
    /// lower bounds. <c>{}</c> is an empty list whatever the dimensions.
    /// </summary>
    public static Func<string, object> Create(Func<string, object> element, int dimensions, char delimiter) => text =>
    {
        var literal = PgArrayLiteral.Parse(text, delimiter);
        if (literal.HasExplicitBounds || (literal.Dimensions != 0 && literal.Dimensions != dimensions))
        {
            return text;
        }

        return Convert(literal.Elements, element);
    };

    // Arrays are object[]: Apache.Avro's writers take an Avro array as a System.Array.
    private static object?[] Convert(IReadOnlyList<object?> items, Func<string, object> element)
    {
        var result = new object?[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = items[i] switch
            {
                null => null,
                string text => element(text),
                var nested => Convert((IReadOnlyList<object?>)nested, element),
            };
        }

        return result;
    }
}
