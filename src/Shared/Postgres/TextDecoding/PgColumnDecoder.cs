using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Turns one column's values, as PostgreSQL's text output writes them under <see cref="PgSessionSettings"/> (what
/// pgoutput sends in text mode), into Avro datums of the column's field schema. Built once per column: the text
/// conversion is chosen at construction, so decoding a value does no type switching. Thread-safe.
/// </summary>
/// <remarks>
/// Datums are what Apache.Avro's generic writer takes, with dates and times raw (<see cref="AvroGenericWriter"/>):
/// <see cref="int"/>/<see cref="long"/> for integers, dates (days), times and timestamps (as
/// <see cref="PgTemporalSchemas"/> says), <see cref="AvroDecimal"/> for decimals,
/// <see cref="GenericRecord"/> for <c>VariableScaleDecimal</c>, <c>object[]</c> for arrays, <see cref="string"/>
/// for string branches, <see cref="T:byte[]"/> for bytes.
/// </remarks>
public sealed class PgColumnDecoder
{
    private readonly Func<string, object> _decode;
    private readonly object? _unavailable;

    private PgColumnDecoder(PgColumn column, Schema valueType, Func<string, object> decode, bool isFallback)
    {
        Column = column;
        ValueType = valueType;
        _decode = decode;
        _unavailable = PgUnavailableValue.For(valueType);
        if (isFallback)
        {
            FallbackWarning =
                $"column \"{column.Name}\" has type {column.Type.FormattedType}, which KafkaCdc does not map; its values are sent as strings holding PostgreSQL's text output";
        }
    }

    /// <summary>The column.</summary>
    public PgColumn Column { get; }

    /// <summary>
    /// The Avro type <c>T</c> of the column's values (not nullable): the key field's schema; the value field's
    /// schema is <c>union {null, T...}</c>.
    /// </summary>
    public Schema ValueType { get; }

    /// <summary>
    /// Set when the column's type is not one the contract maps (an extension type, a composite...), so its text is
    /// passed on as a string: the message the source should log once for the column. <see langword="null"/> otherwise.
    /// </summary>
    public string? FallbackWarning { get; }

    /// <summary>Whether a value of this column can be replaced by <see cref="UnavailableValue"/> (its schema has a plain string or bytes branch).</summary>
    public bool CanBeUnavailable => _unavailable is not null;

    /// <summary>The TOAST placeholder datum for this column (<see cref="PgUnavailableValue"/>); a new copy each time for bytes.</summary>
    /// <exception cref="InvalidOperationException">The column's type is never TOASTed and its schema has no branch for the placeholder.</exception>
    public object UnavailableValue => _unavailable switch
    {
        string text => text,
        byte[] => PgUnavailableValue.Bytes,
        _ => throw new InvalidOperationException(
            $"column \"{Column.Name}\" of type {Column.Type.FormattedType} cannot hold the unchanged-TOAST placeholder; such values are never TOASTed"),
    };

    /// <summary>Creates the decoder of <paramref name="column"/> under <paramref name="options"/>.</summary>
    public static PgColumnDecoder Create(PgColumn column, PgAvroOptions options)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(options);
        var scalar = PgScalarMapping.For(column.Type, options);
        if (!column.Type.IsArray)
        {
            return new PgColumnDecoder(column, scalar.Schema, scalar.Decode, scalar.IsFallback);
        }

        Schema items = AvroSchemas.Nullable(scalar.Schema);
        for (var i = 0; i < column.Type.ArrayDimensions; i++)
        {
            items = AvroSchemas.Array(items);
        }

        return new PgColumnDecoder(
            column,
            AvroSchemas.Union(items, AvroSchemas.String),
            PgArrayDecoding.Create(scalar.Decode, column.Type.ArrayDimensions, column.Type.Delimiter),
            scalar.IsFallback);
    }

    /// <summary>The datum of one value: <see langword="null"/> for SQL NULL, else the decoded text.</summary>
    /// <exception cref="PgValueDecodingException">The text is not a value of the column's type (or is out of the range the Avro type can hold).</exception>
    public object? Decode(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return _decode(text);
        }
        catch (Exception e) when (e is FormatException or ArithmeticException or ArgumentException)
        {
            throw new PgValueDecodingException(Column.Name, Column.Type.FormattedType, text, e);
        }
    }
}
