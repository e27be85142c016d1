using System.Text;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Works out the <see cref="RecordShape"/> of records per <c>primary.key.mode</c> and caches it per (table, key schema
/// id, value schema id). Column names and types come from the type layer (<see cref="PgColumnDefinition"/>): the
/// <c>kafkacdc.*</c> properties for KafkaCdc's records, the Avro types for other producers'. One per task.
/// </summary>
public sealed class RecordShapes
{
    /// <summary>PostgreSQL's identifier limit (NAMEDATALEN - 1 bytes); longer names would be cut silently.</summary>
    public const int MaxIdentifierBytes = 63;

    readonly PrimaryKeyMode _mode;
    readonly IReadOnlyList<string> _keyFields;
    readonly Dictionary<(string Table, int Key, int Value), RecordShape> _cache = [];

    /// <summary>Creates the cache for <paramref name="options"/>' key mode and fields.</summary>
    public RecordShapes(SinkOptions options)
    {
        _mode = options.PrimaryKeyMode;
        _keyFields = options.PrimaryKeyFields;
    }

    /// <summary>The shape of <paramref name="record"/> (an upsert, delete or tombstone with a table).</summary>
    /// <exception cref="UnwritableRecordException">The record cannot give a table (a name too long, no key where the mode needs one...).</exception>
    public RecordShape For(ChangeRecord record)
    {
        var cacheKey = (record.Table!, record.KeySchemaId, record.ValueSchemaId);
        if (_cache.TryGetValue(cacheKey, out var shape)) return shape;
        shape = Build(record);
        _cache[cacheKey] = shape;
        return shape;
    }

    RecordShape Build(ChangeRecord record)
    {
        var table = record.Table ?? throw new UnwritableRecordException("the record names no destination table");
        CheckName(table, "table");
        var leading = new List<ShapeColumn>();
        var values = new List<ShapeColumn>();
        var generated = new List<ShapeColumn>();
        if (_mode == PrimaryKeyMode.Kafka)
        {
            leading.Add(new ShapeColumn { Name = "__connect_topic", Source = ColumnSource.KafkaTopic, SqlType = "text", HasDeclaredType = true, IsNotNull = true });
            leading.Add(new ShapeColumn { Name = "__connect_partition", Source = ColumnSource.KafkaPartition, SqlType = "integer", HasDeclaredType = true, IsNotNull = true });
            leading.Add(new ShapeColumn { Name = "__connect_offset", Source = ColumnSource.KafkaOffset, SqlType = "bigint", HasDeclaredType = true, IsNotNull = true });
        }

        if (record.RowSchema is { } row)
        {
            foreach (var field in row.Fields) values.Add(ValueColumn(field));
            generated.AddRange(GeneratedColumns(row, table));
        }

        var primaryKeyNames = new List<string>();
        switch (_mode)
        {
            case PrimaryKeyMode.Kafka:
                primaryKeyNames.AddRange(leading.Select(c => c.Name));
                break;
            case PrimaryKeyMode.RecordValue:
                foreach (var name in _keyFields)
                {
                    var column = values.FirstOrDefault(c => c.Name == name || c.Definition?.Field.Name == name) ?? throw new UnwritableRecordException(
                        $"primary.key.fields names '{name}', which the records of table \"{table}\" do not have (their fields: {string.Join(", ", values.Select(c => c.Name))})");
                    primaryKeyNames.Add(column.Name);
                }
                break;
            case PrimaryKeyMode.RecordKey:
                AddKeyColumns(record, table, leading, values, primaryKeyNames);
                break;
        }

        var columns = leading.Concat(values).ToList();
        var duplicate = columns.Concat(generated).GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new UnwritableRecordException($"two fields of the records of table \"{table}\" name column \"{duplicate.Key}\"");
        var primaryKey = primaryKeyNames.Select(n => columns.FindIndex(c => c.Name == n)).ToList();
        for (var i = 0; i < columns.Count; i++)
        {
            if (primaryKey.Contains(i) && !columns[i].IsNotNull) columns[i] = Copy(columns[i], notNull: true);
        }
        return new RecordShape(table, columns, primaryKey, record.RowSchema is not null, generated);
    }

    void AddKeyColumns(ChangeRecord record, string table, List<ShapeColumn> leading, List<ShapeColumn> values, List<string> primaryKeyNames)
    {
        if (record.Key is null)
        {
            // The source writes tables without a primary key with a null key: behave as primary.key.mode=none.
            var keyed = values.FirstOrDefault(c => c.Definition?.KeyPosition is not null);
            if (keyed is not null)
            {
                throw new UnwritableRecordException(
                    $"the record has no key, but column \"{keyed.Name}\" of table \"{table}\" is in the source's primary key (kafkacdc.key.position); primary.key.mode=record_key needs the key");
            }
            return;
        }
        if (record.Key is not GenericRecord key)
        {
            throw new UnwritableRecordException(
                $"primary.key.mode=record_key needs an Avro record as the key, this one is a {record.Key.GetType().Name}; use primary.key.mode=record_value with primary.key.fields");
        }

        var keySchema = record.KeySchema as RecordSchema ?? key.Schema;
        var selected = new List<string>();
        foreach (var name in _keyFields)
        {
            var field = keySchema.Fields.FirstOrDefault(f => f.Name == name || PgColumnDefinition.FromField(f, true).Name == name) ?? throw new UnwritableRecordException(
                $"primary.key.fields names '{name}', which is not a field of the key of table \"{table}\" (key fields: {string.Join(", ", keySchema.Fields.Select(f => f.Name))})");
            selected.Add(PgColumnDefinition.FromField(field, true).Name);
        }

        var keyOnly = new List<ShapeColumn>();
        foreach (var field in keySchema.Fields)
        {
            var definition = Definition(field, isKeyField: true);
            var index = values.FindIndex(c => c.Name == definition.Name);
            if (index >= 0)
            {
                values[index] = Copy(values[index], keyPosition: field.Pos);
            }
            else
            {
                keyOnly.Add(new ShapeColumn
                {
                    Name = definition.Name,
                    Source = ColumnSource.Key,
                    KeyPosition = field.Pos,
                    Definition = definition,
                    SqlType = definition.SqlType,
                    HasDeclaredType = definition.HasColumnProperties,
                    IsNotNull = true,
                });
            }
            if (_keyFields.Count == 0) primaryKeyNames.Add(definition.Name);
        }
        primaryKeyNames.AddRange(selected);
        leading.AddRange(keyOnly);
    }

    static ShapeColumn ValueColumn(Field field)
    {
        var definition = Definition(field, isKeyField: false);
        return new ShapeColumn
        {
            Name = definition.Name,
            Source = ColumnSource.Value,
            ValuePosition = field.Pos,
            Definition = definition,
            SqlType = definition.SqlType,
            HasDeclaredType = definition.HasColumnProperties,
            IsNotNull = !definition.IsNullable,
            CanBeUnavailable = PgUnavailableValue.For(field.Schema) is not null,
        };
    }

    /// <summary>The stored generated columns the row schema describes (<see cref="PgTableProperties.Generated"/>); their expressions are checked before any DDL uses them.</summary>
    static IEnumerable<ShapeColumn> GeneratedColumns(RecordSchema row, string table)
    {
        IReadOnlyList<PgGeneratedColumn> generated;
        try
        {
            generated = PgTableProperties.GeneratedColumns(row);
        }
        catch (ArgumentException e)
        {
            throw new UnwritableRecordException($"the records of table \"{table}\" describe their generated columns wrongly: {e.Message}", e);
        }
        foreach (var column in generated)
        {
            CheckName(column.Name, "column");
            yield return new ShapeColumn
            {
                Name = column.Name,
                Source = ColumnSource.Generated,
                SqlType = column.Type,
                HasDeclaredType = true,
                GenerationExpression = column.Expression,
            };
        }
    }

    static PgColumnDefinition Definition(Field field, bool isKeyField)
    {
        PgColumnDefinition definition;
        try
        {
            definition = PgColumnDefinition.FromField(field, isKeyField);
        }
        catch (ArgumentException e)
        {
            throw new UnwritableRecordException($"field '{field.Name}' cannot be written to a column: {e.Message}", e);
        }
        CheckName(definition.Name, "column");
        return definition;
    }

    static ShapeColumn Copy(ShapeColumn column, int? keyPosition = null, bool? notNull = null) => new()
    {
        Name = column.Name,
        Source = column.Source,
        ValuePosition = column.ValuePosition,
        KeyPosition = keyPosition ?? column.KeyPosition,
        Definition = column.Definition,
        SqlType = column.SqlType,
        HasDeclaredType = column.HasDeclaredType,
        IsNotNull = notNull ?? column.IsNotNull,
        CanBeUnavailable = column.CanBeUnavailable,
    };

    static void CheckName(string name, string what)
    {
        if (name.Length == 0 || name.Contains('\0'))
            throw new UnwritableRecordException($"the {what} name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a valid PostgreSQL identifier");
        if (Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
            throw new UnwritableRecordException($"the {what} name \"{name}\" is longer than PostgreSQL's {MaxIdentifierBytes}-byte identifier limit");
    }
}
