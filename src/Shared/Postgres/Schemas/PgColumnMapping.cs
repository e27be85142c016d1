using Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>One column of a <see cref="PgTableSchema"/>: its fields and its decoder.</summary>
public sealed class PgColumnMapping
{
    internal PgColumnMapping(PgColumn column, string fieldName, Field valueField, Field? keyField, PgColumnDecoder decoder)
    {
        Column = column;
        FieldName = fieldName;
        ValueField = valueField;
        KeyField = keyField;
        Decoder = decoder;
    }

    /// <summary>The column.</summary>
    public PgColumn Column { get; }

    /// <summary>The field name in <c>Value</c> (and <c>Key</c>): the column name sanitised and de-duplicated.</summary>
    public string FieldName { get; }

    /// <summary>The field of <c>Value</c>: <c>union {null, T...}</c>, default null, with the column properties.</summary>
    public Field ValueField { get; }

    /// <summary>The field of <c>Key</c> (type <c>T</c>) when the column is part of the primary key, else <see langword="null"/>.</summary>
    public Field? KeyField { get; }

    /// <summary>The decoder of the column's text values.</summary>
    public PgColumnDecoder Decoder { get; }
}
