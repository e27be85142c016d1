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
        if (record.AfterText is not { } after)
        {
            var before = record.Before is { } image ? new DatumImage(image) : (DatumImage?)null;
            EncodeUpsert(record, new DatumImage(record.After), before, table, mode, replaceWithoutKey, into);
            return null;
        }

        var beforeText = record.BeforeText is { } text ? new TextImage(text) : (TextImage?)null;
        if (table.ColumnsAreFields && after.FieldCount == table.Columns.Length && !after.HasUnavailable)
        {
            // The common case, a new image without placeholders whose fields are the table's columns in order: as it is.
            var key = KeyFor(after, table, mode);
            if (beforeText is { } old && record.SourceOp == 'u') AddOldImage(record, old, table, mode, replaceWithoutKey, key, into);
            into.Add(new RowChange(record, after, key));
            return null;
        }
        EncodeUpsert(record, new TextImage(after), beforeText, table, mode, replaceWithoutKey, into);
        return null;
    }

    /// <summary>
    /// A create or update, from either form of its images (the generic path's datums or the fast path's texts): the
    /// rules are written once, over <see cref="IRowImage"/>.
    /// </summary>
    static void EncodeUpsert<TImage>(ChangeRecord record, TImage after, TImage? before, BoundTable table, WriteMode mode, bool replaceWithoutKey,
        List<RowChange> into) where TImage : struct, IRowImage
    {
        var columns = table.Columns;
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
            if (column.Column.CanBeUnavailable && after.IsUnavailable(column))
            {
                // The before image's value when it has one (REPLICA IDENTITY FULL), else keep the stored one.
                if (before is { } old && old.HasValue(column) && !old.IsUnavailable(column))
                    values[i] = old.Text(column);
                else
                    (unavailable ??= new bool[columns.Length])[i] = true;
                continue;
            }
            values[i] = after.Text(column);
        }

        var key = KeyFor(values, table, mode);
        if (before is { } image && record.SourceOp == 'u') AddOldImage(record, image, table, mode, replaceWithoutKey, key, into);
        into.Add(new RowChange(record, isDelete: false, values, unavailable, key));
    }

    /// <summary>What an update's before image adds ahead of the new row: a delete of the old key, or of the old row of a keyless table.</summary>
    static void AddOldImage<TImage>(ChangeRecord record, TImage before, BoundTable table, WriteMode mode, bool replaceWithoutKey, string key,
        List<RowChange> into) where TImage : struct, IRowImage
    {
        var columns = table.Columns;
        if (table.PrimaryKey.Length > 0 && mode == WriteMode.SetBased)
        {
            var oldValues = new string?[columns.Length];
            foreach (var index in table.PrimaryKey)
            {
                var column = columns[index];
                if (column.Column.Source != ColumnSource.Value || !before.HasValue(column)) return; // not the whole old key
                oldValues[index] = before.Text(column);
            }
            var oldKey = KeyText(oldValues, table.PrimaryKey);
            if (oldKey != key) into.Add(new RowChange(record, isDelete: true, oldValues, null, oldKey));
        }
        else if (table.PrimaryKey.Length == 0 && replaceWithoutKey)
        {
            into.Add(new RowChange(record, isDelete: true, Image(table, record, before), null, ""));
        }
    }

    static string? EncodeDelete(ChangeRecord record, BoundTable table, List<RowChange> into)
    {
        if (table.PrimaryKey.Length == 0)
        {
            if (record.Before is null) return "delete_without_before_image";
            into.Add(new RowChange(record, isDelete: true, Image(table, record, new DatumImage(record.Before)), null, ""));
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

    /// <summary>Every column's text for one whole image (a keyless table's old row).</summary>
    static string?[] Image<TImage>(BoundTable table, ChangeRecord record, TImage image) where TImage : struct, IRowImage
    {
        var values = new string?[table.Columns.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var column = table.Columns[i];
            values[i] = column.Column.Source == ColumnSource.Value ? image.Text(column) : Text(column, ValueOf(column, record, null));
        }
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

    internal static string? Text(BoundColumn column, object? datum) =>
        column.Encoder is { } encoder ? encoder.Encode(datum) : Convert.ToString(datum, CultureInfo.InvariantCulture);

    /// <summary>
    /// The key a set-based write reduces the row by (<see cref="RowChange.Key"/>); empty when appending (insert mode),
    /// where rows are not reduced, and a string per row that nothing reads is work and garbage on the COPY path.
    /// </summary>
    static string KeyFor(PgTextRow row, BoundTable table, WriteMode mode) => mode == WriteMode.SetBased ? KeyText(row, table.PrimaryKey) : "";

    /// <inheritdoc cref="KeyFor(PgTextRow, BoundTable, WriteMode)"/>
    static string KeyFor(string?[] values, BoundTable table, WriteMode mode) => mode == WriteMode.SetBased ? KeyText(values, table.PrimaryKey) : "";

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

    /// <summary>One image of a row (after or before) as the encoder reads its value columns, in either form.</summary>
    interface IRowImage
    {
        /// <summary>Whether the column holds the unchanged-TOAST placeholder.</summary>
        bool IsUnavailable(BoundColumn column);

        /// <summary>Whether the column has a value (not null, not missing from a before image, not the placeholder).</summary>
        bool HasValue(BoundColumn column);

        /// <summary>The column's value as PostgreSQL text input; null for SQL NULL.</summary>
        string? Text(BoundColumn column);
    }

    /// <summary>The generic path's image: Avro datums, encoded by the column's encoder.</summary>
    readonly struct DatumImage(GenericRecord? image) : IRowImage
    {
        public bool IsUnavailable(BoundColumn column) => column.Encoder!.IsUnavailable(Datum(column));

        public bool HasValue(BoundColumn column) => Datum(column) is { } datum && !(column.Column.CanBeUnavailable && column.Encoder!.IsUnavailable(datum));

        public string? Text(BoundColumn column) => RowEncoder.Text(column, Datum(column));

        object? Datum(BoundColumn column) => image?.GetValue(column.Column.ValuePosition);
    }

    /// <summary>The fast path's image: the fields already as PostgreSQL text.</summary>
    readonly struct TextImage(PgTextRow image) : IRowImage
    {
        public bool IsUnavailable(BoundColumn column) => image.IsUnavailable(column.Column.ValuePosition);

        public bool HasValue(BoundColumn column) => image.LengthOf(column.Column.ValuePosition) >= 0;

        public string? Text(BoundColumn column) => image.TextOf(column.Column.ValuePosition);
    }
}
