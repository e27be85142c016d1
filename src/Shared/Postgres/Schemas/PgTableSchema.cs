using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The Avro schemas of one table's change events (contract: "Key", "Value: the envelope") and the decoders of its
/// columns, built by <see cref="Build"/> from the columns <see cref="PgTypeCatalog"/> describes. Immutable and
/// thread-safe; build a new one when the table's columns change (a new Relation message).
/// </summary>
/// <example><code>
/// var columns = await catalog.DescribeColumnsAsync(connection, relation.RelationId, relationColumns, ct);
/// var table = PgTableSchema.Build(database, relation.Namespace, relation.RelationName, columns, options);
/// foreach (var warning in table.Columns.Select(c => c.Decoder.FallbackWarning).OfType&lt;string&gt;()) log(warning);
/// var after = table.DecodeValue(texts);   // or column by column through table.Columns[i].Decoder
/// var key = table.KeyOf(after);
/// </code></example>
public sealed class PgTableSchema
{
    private PgTableSchema(
        string database, string schema, string table, IReadOnlyList<PgColumnMapping> columns, IReadOnlyList<PgColumnMapping> keyColumns,
        IReadOnlyList<PgGeneratedColumn> generatedColumns, RecordSchema? key, RecordSchema value)
    {
        Database = database;
        Schema = schema;
        Table = table;
        Columns = columns;
        KeyColumns = keyColumns;
        GeneratedColumns = generatedColumns;
        Key = key;
        Value = value;
        Envelope = ChangeEventSchemas.Envelope(value);
    }

    /// <summary>The database name.</summary>
    public string Database { get; }

    /// <summary>The table's schema name.</summary>
    public string Schema { get; }

    /// <summary>The table name.</summary>
    public string Table { get; }

    /// <summary>The namespace of <see cref="Key"/>, <see cref="Value"/> and <see cref="Envelope"/>.</summary>
    public string Namespace => Value.Namespace!;

    /// <summary>The columns, in the order given to <see cref="Build"/> (attribute-number order), one per <see cref="Value"/> field.</summary>
    public IReadOnlyList<PgColumnMapping> Columns { get; }

    /// <summary>The primary-key columns in key order, one per <see cref="Key"/> field; empty without a primary key.</summary>
    public IReadOnlyList<PgColumnMapping> KeyColumns { get; }

    /// <summary>
    /// The stored generated columns described in <see cref="Value"/>'s <see cref="PgTableProperties.Generated"/> property
    /// (no fields: their values are not published), in attribute-number order.
    /// </summary>
    public IReadOnlyList<PgGeneratedColumn> GeneratedColumns { get; }

    /// <summary>The <c>Key</c> record, or <see langword="null"/> when the table has no primary key.</summary>
    public RecordSchema? Key { get; }

    /// <summary>The <c>Value</c> record: one nullable field per column.</summary>
    public RecordSchema Value { get; }

    /// <summary>The <c>Envelope</c> record (see <see cref="ChangeEventSchemas.Envelope"/>).</summary>
    public RecordSchema Envelope { get; }

    /// <summary>Builds the schemas and decoders of a table.</summary>
    /// <param name="database">The database name.</param>
    /// <param name="schema">The table's schema name.</param>
    /// <param name="table">The table name.</param>
    /// <param name="columns">The columns in attribute-number order (as <see cref="PgTypeCatalog"/> returns them).</param>
    /// <param name="options">The mapping settings; <see cref="PgAvroOptions.Default"/> when null.</param>
    /// <param name="generatedColumns">
    /// The table's stored generated columns (<see cref="PgTypeCatalog.DescribeGeneratedColumnsAsync"/>), described in
    /// <see cref="Value"/>'s properties; those reading a column that is not in <paramref name="columns"/> (outside a
    /// publication's column list) are left out, since no destination could compute them. None when null.
    /// </param>
    public static PgTableSchema Build(string database, string schema, string table, IReadOnlyList<PgColumn> columns, PgAvroOptions? options = null,
        IReadOnlyList<PgGeneratedColumn>? generatedColumns = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= PgAvroOptions.Default;
        var space = PgAvroNames.Namespace(database, schema, table);
        var names = PgAvroNames.FieldNames(columns.Select(c => c.Name));
        var decoders = new PgColumnDecoder[columns.Count];
        var valueFields = new AvroSchemas.FieldDefinition[columns.Count];
        var keyFields = new List<(int Position, int Index, AvroSchemas.FieldDefinition Field)>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            decoders[i] = PgColumnDecoder.Create(column, options);
            var properties = PgColumnProperties.For(column, options);
            valueFields[i] = AvroSchemas.FieldDefinition.Optional(names[i], decoders[i].ValueType, properties);
            if (column.KeyPosition is { } position)
            {
                keyFields.Add((position, i, new AvroSchemas.FieldDefinition(names[i], decoders[i].ValueType, properties)));
            }
        }

        keyFields.Sort((a, b) => a.Position.CompareTo(b.Position));
        var published = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var generated = (generatedColumns ?? []).Where(g => g.References.All(published.Contains)).ToList();
        var value = AvroSchemas.Record("Value", space, valueFields, PgTableProperties.For(generated));
        var key = keyFields.Count == 0 ? null : AvroSchemas.Record("Key", space, keyFields.Select(k => k.Field));
        var mappings = new PgColumnMapping[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            mappings[i] = new PgColumnMapping(columns[i], names[i], value.Fields[i], null, decoders[i]);
        }

        for (var k = 0; k < keyFields.Count; k++)
        {
            var index = keyFields[k].Index;
            mappings[index] = new PgColumnMapping(columns[index], names[index], value.Fields[index], key!.Fields[k], decoders[index]);
        }

        var keyColumns = keyFields.Select(k => mappings[k.Index]).ToList();
        return new PgTableSchema(database, schema, table, mappings, keyColumns, generated, key, value);
    }

    /// <summary>A <see cref="Value"/> record of one row's text values (null for SQL NULL), one per column in order.</summary>
    /// <exception cref="ArgumentException">The number of values differs from the number of columns.</exception>
    /// <exception cref="PgValueDecodingException">A text is not a value of its column's type.</exception>
    public GenericRecord DecodeValue(IReadOnlyList<string?> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count != Columns.Count)
        {
            throw new ArgumentException($"table \"{Schema}\".\"{Table}\" has {Columns.Count} columns, got {texts.Count} values", nameof(texts));
        }

        var record = new GenericRecord(Value);
        for (var i = 0; i < texts.Count; i++)
        {
            record.Add(i, Columns[i].Decoder.Decode(texts[i]));
        }

        return record;
    }

    /// <summary>The <see cref="Key"/> record of a <see cref="Value"/> record, or <see langword="null"/> when the table has no primary key.</summary>
    /// <exception cref="ArgumentException">The record is not of <see cref="Value"/>, or a key column is null in it.</exception>
    public GenericRecord? KeyOf(GenericRecord value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Key is null)
        {
            return null;
        }

        if (!ReferenceEquals(value.Schema, Value) && !value.Schema.Equals(Value))
        {
            throw new ArgumentException($"the record is of {value.Schema.Fullname}, not this table's Value schema", nameof(value));
        }

        var key = new GenericRecord(Key);
        for (var i = 0; i < KeyColumns.Count; i++)
        {
            key.Add(i, value.GetValue(KeyColumns[i].ValueField.Pos) ?? throw new ArgumentException(
                $"key column \"{KeyColumns[i].Column.Name}\" of \"{Schema}\".\"{Table}\" is null in the row", nameof(value)));
        }

        return key;
    }
}
