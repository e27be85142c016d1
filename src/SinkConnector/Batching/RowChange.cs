using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Decoding;

namespace KafkaCdc.SinkConnector.Batching;

/// <summary>
/// One row's change as text, ready to write: the values of the bound columns as PostgreSQL text input (null for SQL
/// NULL), which of them are unchanged TOAST placeholders, and the key it is reduced by. Built by the applying stage
/// from a <see cref="ChangeRecord"/>; a key-changing update gives two (a delete of the old key, then the new row).
/// </summary>
public sealed class RowChange
{
    string?[]? _values;

    /// <summary>Creates a row change.</summary>
    public RowChange(ChangeRecord record, bool isDelete, string?[] values, bool[]? unavailable, string key)
    {
        Record = record;
        IsDelete = isDelete;
        _values = values;
        Unavailable = unavailable;
        Key = key;
    }

    /// <summary>
    /// Creates the change writing a new row whose bound columns are exactly <paramref name="encoded"/>'s fields, in
    /// order, none an unchanged-TOAST placeholder: the writers copy its bytes, and <see cref="Values"/> is only made
    /// when asked for.
    /// </summary>
    public RowChange(ChangeRecord record, PgTextRow encoded, string key)
    {
        Record = record;
        Encoded = encoded;
        Key = key;
    }

    /// <summary>The record it comes from.</summary>
    public ChangeRecord Record { get; }

    /// <summary>Whether the row is to be deleted (only the key columns of <see cref="Values"/> matter then).</summary>
    public bool IsDelete { get; }

    /// <summary>Per bound column, the text input or null.</summary>
    public string?[] Values => _values ??= Materialize();

    /// <summary>The bound columns' texts as one <see cref="PgTextRow"/> (field i is column i), or null: then only <see cref="Values"/> has them.</summary>
    public PgTextRow? Encoded { get; }

    /// <summary>Per bound column, whether the value is an unchanged TOAST placeholder (keep the stored value); null when none is.</summary>
    public bool[]? Unavailable { get; private set; }

    /// <summary>The primary key's values as one string, for reduction (set-based writes); empty for appended rows, which are not reduced.</summary>
    public string Key { get; }

    /// <summary>Whether any column keeps its stored value.</summary>
    public bool HasUnavailable => Unavailable is not null;

    /// <summary>Fills this row's placeholders from an earlier change of the same row, when that one had the value.</summary>
    internal void InheritUnavailable(RowChange earlier)
    {
        if (Unavailable is null || earlier.IsDelete) return;
        var stillUnavailable = false;
        for (var i = 0; i < Unavailable.Length; i++)
        {
            if (!Unavailable[i]) continue;
            if (earlier.Unavailable?[i] == true)
            {
                stillUnavailable = true;
                continue;
            }
            Values[i] = earlier.Values[i];
            Unavailable[i] = false;
        }
        if (!stillUnavailable) Unavailable = null;
    }

    string?[] Materialize()
    {
        var encoded = Encoded!;
        var values = new string?[encoded.FieldCount];
        for (var i = 0; i < values.Length; i++) values[i] = encoded.TextOf(i);
        return values;
    }
}
