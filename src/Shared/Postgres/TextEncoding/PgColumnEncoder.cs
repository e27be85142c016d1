using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Turns Avro datums of one field (as <see cref="AvroGenericReader"/> returns them) into PostgreSQL text input for
/// the column, e.g. for COPY into a staging table of <c>text</c> columns and a server-side <c>::type</c> cast: the
/// exact inverse of <see cref="PgColumnDecoder"/>. Infinity sentinels become <c>infinity</c>, base64/hex strings
/// of <c>bytea</c> become <c>\x...</c>, arrays become array literals quoted as <c>array_out</c> would. Thread-safe.
/// </summary>
/// <remarks>
/// Check <see cref="IsUnavailable"/> first: the TOAST placeholder is not a value to write; the sink keeps the stored one.
/// </remarks>
public sealed class PgColumnEncoder
{
    private readonly Func<object, string> _encode;
    private readonly bool _canBeUnavailable;

    private PgColumnEncoder(string columnName, Schema schema, string? binaryEncoding, char delimiter)
    {
        ColumnName = columnName;
        _encode = PgDatumEncoding.Compile(schema, binaryEncoding, delimiter);
        _canBeUnavailable = PgUnavailableValue.For(schema) is not null;
    }

    /// <summary>The column name used in errors.</summary>
    public string ColumnName { get; }

    /// <summary>
    /// The encoder of <paramref name="field"/>'s datums: the <c>kafkacdc.encoding</c> property says whether strings
    /// hold base64/hex <c>bytea</c>, and <c>kafkacdc.type.name</c> <c>box</c> selects the <c>;</c> array delimiter.
    /// </summary>
    /// <exception cref="ArgumentException">The field's schema has a type with no text form (only <c>null</c>).</exception>
    public static PgColumnEncoder For(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var name = PgFieldProperties.String(field, PgColumnProperties.Column) ?? field.Name;
        var isBox = PgFieldProperties.String(field, PgColumnProperties.TypeName) == "box"
            && PgFieldProperties.String(field, PgColumnProperties.TypeSchema) == "pg_catalog";
        return new PgColumnEncoder(name, field.Schema, PgFieldProperties.String(field, PgColumnProperties.Encoding), isBox ? ';' : ',');
    }

    /// <summary>The encoder of datums of <paramref name="schema"/>.</summary>
    /// <param name="columnName">The column name, for errors.</param>
    /// <param name="schema">The field schema.</param>
    /// <param name="binaryEncoding"><c>base64</c> or <c>hex</c> when string values hold <c>bytea</c>; else null.</param>
    /// <param name="delimiter">The array element delimiter: <c>,</c>, or <c>;</c> for <c>box</c>.</param>
    public static PgColumnEncoder For(string columnName, Schema schema, string? binaryEncoding = null, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(columnName);
        ArgumentNullException.ThrowIfNull(schema);
        return new PgColumnEncoder(columnName, schema, binaryEncoding, delimiter);
    }

    /// <summary>Whether <paramref name="datum"/> is the TOAST placeholder (only possible when the schema has a plain string or bytes branch).</summary>
    public bool IsUnavailable(object? datum) => _canBeUnavailable && PgUnavailableValue.Matches(datum);

    /// <summary>The text input of <paramref name="datum"/>, or <see langword="null"/> for null (SQL NULL).</summary>
    /// <exception cref="PgValueEncodingException">The datum does not fit the schema (wrong .NET type, invalid base64...).</exception>
    public string? Encode(object? datum)
    {
        if (datum is null)
        {
            return null;
        }

        try
        {
            return _encode(datum);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or ArithmeticException or ArgumentException or NullReferenceException)
        {
            throw new PgValueEncodingException(ColumnName, $"cannot write a {datum.GetType().Name} datum as text: {e.Message}", e);
        }
    }
}
