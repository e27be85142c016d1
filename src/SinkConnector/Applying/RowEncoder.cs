using System.Globalization;
using System.Text;
using Avro.Generic;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Turns a <see cref="ChangeRecord"/> into the <see cref="RowChange"/>s of a bound table: every column's value as
/// PostgreSQL text input (the type layer's encoders), the unchanged-TOAST placeholders marked, the key for reduction.
/// </summary>
/// <remarks>
/// An update whose before image has a different key (the key changed) first deletes the old key. Without a primary key,
/// an upsert-mode update with a before image replaces one row equal to it (a delete of one matching row, then an
/// insert), and a delete needs the before image. A placeholder takes the before image's value when it has one (REPLICA
/// IDENTITY FULL), else it is marked so the stored value stays.
/// </remarks>
public static class RowEncoder
{
    /// <summary>Appends the changes of <paramref name="record"/> to <paramref name="into"/>.</summary>
    /// <returns>Null, or why nothing could be written (for the skipped-records metric).</returns>
    /// <exception cref="Shared.Postgres.PgValueEncodingException">A datum does not fit its schema.</exception>
    public static string? Encode(ChangeRecord record, BoundTable table, WriteMode mode, bool replaceWithoutKey, List<RowChange> into)
    {
        if (record.Action == RecordAction.Delete) return EncodeDelete(record, table, into);
        return record.AfterText is { } after
            ? EncodeUpsertText(record, after, table, mode, replaceWithoutKey, into)
            : EncodeUpsert(record, table, mode, replaceWithoutKey, into);
    }

    /// <summary>
    /// <see cref="EncodeUpsert"/> for a record whose images are already text (<see cref="ChangeRecord.AfterText"/>):
    /// the same rules, on the texts the type layer's encoders would have given. The common case, a new image without
    /// placeholders for a table whose columns are the row's fields in order, passes the image on as it is.
    /// </summary>
    static string? EncodeUpsertText(ChangeRecord record, PgTextRow after, BoundTable table, WriteMode mode, bool replaceWithoutKey, List<RowChange> into)
    {
        var columns = table.Columns;
        var before = record.BeforeText;
        string key;
        if (table.ColumnsAreFields && after.FieldCount == columns.Length && !after.HasUnavailable)
        {
            key = KeyText(after, table.PrimaryKey);
            if (before is not null && record.SourceOp == 'u') AddOldImage(record, before, table, mode, replaceWithoutKey, key, into);
            into.Add(new RowChange(record, after, key));
            return null;
        }

        var values = new string?[columns.Length];
        bool[]? unavailable = null;
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            if (column.Column.Source != ColumnSource.Value)
            {
                values[i] = Text(column, ValueOf(column, record, null));
                continue;
            }
            var position = column.Column.ValuePosition;
            if (column.Column.CanBeUnavailable && after.IsUnavailable(position))
            {
                // As with datums: the before image's value when it has one (REPLICA IDENTITY FULL), else keep the stored one.
                if (before is not null && before.LengthOf(position) >= 0)
                {
                    values[i] = before.TextOf(position);
                }
                else
                {
                    (unavailable ??= new bool[columns.Length])[i] = true;
                }
                continue;
            }
            values[i] = after.TextOf(position);
        }

        key = KeyText(values, table.PrimaryKey);
        if (before is not null && record.SourceOp == 'u') AddOldImage(record, before, table, mode, replaceWithoutKey, key, into);
        into.Add(new RowChange(record, isDelete: false, values, unavailable, key));
        return null;
    }

    /// <summary>What an update's before image (as text) adds ahead of the new row: a delete of the old key, or of the old row of a keyless table.</summary>
    /// <returns>Whether a change was added.</returns>
    static bool AddOldImage(ChangeRecord record, PgTextRow before, BoundTable table, WriteMode mode, bool replaceWithoutKey, string key, List<RowChange> into)
    {
        var columns = table.Columns;
        if (table.PrimaryKey.Length > 0 && mode == WriteMode.SetBased)
        {
            var oldValues = new string?[columns.Length];
            foreach (var index in table.PrimaryKey)
            {
                var column = columns[index];
                if (column.Column.Source != ColumnSource.Value || before.LengthOf(column.Column.ValuePosition) < 0) return false;
                oldValues[index] = before.TextOf(column.Column.ValuePosition);
            }
            var oldKey = KeyText(oldValues, table.PrimaryKey);
            if (oldKey == key) return false;
            into.Add(new RowChange(record, isDelete: true, oldValues, null, oldKey));
            return true;
        }
        if (table.PrimaryKey.Length == 0 && replaceWithoutKey)
        {
            var values = new string?[columns.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var column = columns[i];
                values[i] = column.Column.Source == ColumnSource.Value ? before.TextOf(column.Column.ValuePosition) : Text(column, ValueOf(column, record, null));
            }
            into.Add(new RowChange(record, isDelete: true, values, null, ""));
            return true;
        }
        return false;
    }

    static string? EncodeUpsert(ChangeRecord record, BoundTable table, WriteMode mode, bool replaceWithoutKey, List<RowChange> into)
    {
        var columns = table.Columns;
        var values = new string?[columns.Length];
        bool[]? unavailable = null;
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var datum = ValueOf(column, record, record.After);
            if (column.Column.CanBeUnavailable && column.Encoder!.IsUnavailable(datum))
            {
                var old = record.Before?.GetValue(column.Column.ValuePosition);
                if (old is not null && !column.Encoder.IsUnavailable(old))
                {
                    datum = old;
                }
                else
                {
                    (unavailable ??= new bool[columns.Length])[i] = true;
                    continue;
                }
            }
            values[i] = Text(column, datum);
        }

        var key = KeyText(values, table.PrimaryKey);
        if (record.Before is { } before && record.SourceOp == 'u')
        {
            if (table.PrimaryKey.Length > 0 && mode == WriteMode.SetBased)
            {
                if (OldKey(table, before) is { } oldValues && KeyText(oldValues, table.PrimaryKey) is var oldKey && oldKey != key)
                    into.Add(new RowChange(record, isDelete: true, oldValues, null, oldKey));
            }
            else if (table.PrimaryKey.Length == 0 && replaceWithoutKey)
            {
                into.Add(new RowChange(record, isDelete: true, Image(table, record, before), null, ""));
            }
        }
        into.Add(new RowChange(record, isDelete: false, values, unavailable, key));
        return null;
    }

    static string? EncodeDelete(ChangeRecord record, BoundTable table, List<RowChange> into)
    {
        if (table.PrimaryKey.Length == 0)
        {
            if (record.Before is null) return "delete_without_before_image";
            into.Add(new RowChange(record, isDelete: true, Image(table, record, record.Before), null, ""));
            return null;
        }

        var values = new string?[table.Columns.Length];
        foreach (var index in table.PrimaryKey)
        {
            var column = table.Columns[index];
            object? datum = null;
            if (column.Column.KeyPosition >= 0 && record.Key is GenericRecord key) datum = key.GetValue(column.Column.KeyPosition);
            else if (column.Column.Source == ColumnSource.Value) datum = record.Before?.GetValue(column.Column.ValuePosition);
            if (datum is null) return "delete_without_key";
            values[index] = Text(column, datum);
        }
        into.Add(new RowChange(record, isDelete: true, values, null, KeyText(values, table.PrimaryKey)));
        return null;
    }

    /// <summary>The old key's values from a before image, or null when it does not hold the whole key.</summary>
    static string?[]? OldKey(BoundTable table, GenericRecord before)
    {
        var values = new string?[table.Columns.Length];
        foreach (var index in table.PrimaryKey)
        {
            var column = table.Columns[index];
            if (column.Column.Source != ColumnSource.Value || before.GetValue(column.Column.ValuePosition) is not { } datum) return null;
            values[index] = Text(column, datum);
        }
        return values;
    }

    static string?[] Image(BoundTable table, ChangeRecord record, GenericRecord image)
    {
        var values = new string?[table.Columns.Length];
        for (var i = 0; i < values.Length; i++) values[i] = Text(table.Columns[i], ValueOf(table.Columns[i], record, image));
        return values;
    }

    static object? ValueOf(BoundColumn column, ChangeRecord record, GenericRecord? image) => column.Column.Source switch
    {
        ColumnSource.Value => image?.GetValue(column.Column.ValuePosition),
        ColumnSource.Key => (record.Key as GenericRecord)?.GetValue(column.Column.KeyPosition),
        ColumnSource.KafkaTopic => record.Topic,
        ColumnSource.KafkaPartition => record.Partition,
        _ => record.Offset,
    };

    static string? Text(BoundColumn column, object? datum) =>
        column.Encoder is { } encoder ? encoder.Encode(datum) : Convert.ToString(datum, CultureInfo.InvariantCulture);

    /// <summary><see cref="KeyText(string?[], int[])"/> of a text image whose fields are the bound columns.</summary>
    static string KeyText(PgTextRow row, int[] primaryKey)
    {
        if (primaryKey.Length == 1) return row.TextOf(primaryKey[0]) ?? "\0";
        var values = new string?[row.FieldCount];
        foreach (var index in primaryKey) values[index] = row.TextOf(index);
        return KeyText(values, primaryKey);
    }

    /// <summary>The key's values as one string: each as its length and text, so no two keys collide.</summary>
    static string KeyText(string?[] values, int[] primaryKey)
    {
        if (primaryKey.Length == 1) return values[primaryKey[0]] ?? "\0";
        var text = new StringBuilder();
        foreach (var index in primaryKey)
        {
            var value = values[index];
            if (value is null) text.Append("-;");
            else text.Append(value.Length).Append(':').Append(value);
        }
        return text.ToString();
    }
}
