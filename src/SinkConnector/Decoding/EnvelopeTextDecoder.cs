using System.Text;
using System.Text.Unicode;
using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// The fast path of <see cref="ChangeRecordDecoder"/> for one envelope schema: reads the Avro body of a change event
/// straight into what the sink needs, the row images as PostgreSQL text (<see cref="PgTextRowDecoder"/>), <c>op</c>,
/// <c>source.lsn</c>, <c>source.schema</c>, <c>source.table</c>, the commit time (<c>source.ts_us</c>, else
/// <c>ts_ms</c>) and the source position (<c>source.commit_lsn</c>, <c>event_serial_no</c>, <c>system_id</c>), without building the envelope's generic datum.
/// Every other field is read and checked as the generic reader would, and dropped.
/// </summary>
/// <remarks>
/// It handles creates, updates and snapshot reads, whose rows are most of any topic. Anything else (a delete, a
/// truncate, an op it does not know) and any failure (corrupt bytes, a value the type layer cannot write) makes
/// <see cref="TryDecode"/> return false without a result: the caller then decodes the record generically, which gives
/// the same record, or the exact error, the sink has always given. One per task (not thread-safe).
/// </remarks>
internal sealed class EnvelopeTextDecoder
{
    readonly Step[] _steps;
    readonly PgTextRowDecoder _rows;
    readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    EnvelopeTextDecoder(Step[] steps, PgTextRowDecoder rows)
    {
        _steps = steps;
        _rows = rows;
    }

    /// <summary>The decoder of <paramref name="layout"/>'s values, or null when its shape is not the plain envelope this path reads.</summary>
    public static EnvelopeTextDecoder? For(ValueLayout layout)
    {
        if (!layout.IsEnvelope || layout.RowSchema is not { } row) return null;
        var schema = layout.Schema;
        var steps = new Step[schema.Fields.Count];
        RecordSchema? source = null;
        foreach (var field in schema.Fields)
        {
            var position = field.Pos;
            if (position == layout.After || position == layout.Before)
            {
                if (RowSlot(field.Schema, row) is not { } slot) return null;
                steps[position] = new RowStep(position == layout.After, slot.NullIndex);
            }
            else if (position == layout.Op)
            {
                steps[position] = new OpStep();
            }
            else if (position == layout.Source)
            {
                if (OrNull<RecordSchema>(field.Schema) is not ({ } record, var nullIndex)) return null;
                source = record;
                steps[position] = new SourceStep(nullIndex, [.. record.Fields.Select(f => SourceField(f, layout))]);
            }
            else
            {
                steps[position] = new SkipStep(AvroSkip.For(field.Schema));
            }
        }
        if (layout.Source >= 0 && source is null) return null;

        PgTextRowDecoder rows;
        try
        {
            rows = PgTextRowDecoder.For(row);
        }
        catch (ArgumentException)
        {
            // A field with no text form: the generic path reports it per record.
            return null;
        }
        return new EnvelopeTextDecoder(steps, rows);
    }

    /// <summary>Decodes an envelope body (after the wire-format header); false when the generic path must decode it.</summary>
    public bool TryDecode(ReadOnlySpan<byte> body, out EnvelopeText envelope)
    {
        envelope = default;
        try
        {
            var reader = new AvroBinaryReader(body);
            var state = new State();
            foreach (var step in _steps) step.Read(ref reader, this, ref state);
            reader.ExpectEnd();
            if (state.Op is not ('c' or 'u' or 'r') || state.After is null) return false;
            // Some but not all of the position's parts: the generic path names what is wrong.
            if (!ChangeRecordDecoder.TryPosition(state.CommitLsn, state.EventSerialNo, state.SystemId, out var position, out _)) return false;
            envelope = new EnvelopeText(state.Op, state.Before, state.After, state.Lsn, state.SourceSchema, state.SourceTable,
                state.TsUs ?? state.TsMs * 1000, position);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a loss: the generic path decodes this record again and reports whatever is wrong with it.
            return false;
        }
    }

    /// <summary>The string of <paramref name="utf8"/>, shared between records (schema and table names repeat).</summary>
    string Name(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8)) throw new AvroDecodingException("string is not valid UTF-8", 0);
        Span<char> chars = stackalloc char[Math.Min(utf8.Length, 256)];
        if (utf8.Length <= 256 && Encoding.UTF8.TryGetChars(utf8, chars, out var count))
        {
            var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..count], out var known)) return known;
            var name = new string(chars[..count]);
            if (_names.Count < 1024) _names[name] = name;
            return name;
        }
        return Encoding.UTF8.GetString(utf8);
    }

    static (int NullIndex, RecordSchema Record)? RowSlot(Schema schema, RecordSchema row) =>
        OrNull<RecordSchema>(schema) is ({ } record, var nullIndex) && ReferenceEquals(record, row) ? (nullIndex, record) : null;

    /// <summary>
    /// A <typeparamref name="T"/> (a record, a primitive), or a union of null and one <typeparamref name="T"/>: it and the
    /// null branch's index (-1 without one).
    /// </summary>
    static (T? Value, int NullIndex) OrNull<T>(Schema schema) where T : Schema
    {
        if (schema is T value) return (value, -1);
        if (schema is UnionSchema { Schemas.Count: 2 } union)
        {
            var nullIndex = union.Schemas[0].Tag == Schema.Type.Null ? 0 : union.Schemas[1].Tag == Schema.Type.Null ? 1 : -1;
            if (nullIndex >= 0 && union.Schemas[1 - nullIndex] is T branch) return (branch, nullIndex);
        }
        return (null, -1);
    }

    static SourceFieldStep SourceField(Field field, ValueLayout layout)
    {
        var position = field.Pos;
        var nullable = OrNull<PrimitiveSchema>(field.Schema);
        if (position == layout.SourceLsn && nullable is (PrimitiveSchema { Tag: Schema.Type.Long }, var lsnNull)) return new SourceFieldStep(SourcePart.Lsn, lsnNull, null);
        if (position == layout.SourceSchema && nullable is (PrimitiveSchema { Tag: Schema.Type.String }, var schemaNull)) return new SourceFieldStep(SourcePart.Schema, schemaNull, null);
        if (position == layout.SourceTable && nullable is (PrimitiveSchema { Tag: Schema.Type.String }, var tableNull)) return new SourceFieldStep(SourcePart.Table, tableNull, null);
        if (position == layout.SourceTsMs && nullable is (PrimitiveSchema { Tag: Schema.Type.Long }, var msNull)) return new SourceFieldStep(SourcePart.TsMs, msNull, null);
        if (position == layout.SourceTsUs && nullable is (PrimitiveSchema { Tag: Schema.Type.Long }, var usNull)) return new SourceFieldStep(SourcePart.TsUs, usNull, null);
        if (position == layout.SourceCommitLsn && nullable is (PrimitiveSchema { Tag: Schema.Type.Long }, var commitNull)) return new SourceFieldStep(SourcePart.CommitLsn, commitNull, null);
        if (position == layout.SourceEventSerialNo && nullable is (PrimitiveSchema { Tag: Schema.Type.Long }, var serialNull)) return new SourceFieldStep(SourcePart.EventSerialNo, serialNull, null);
        if (position == layout.SourceSystemId && nullable is (PrimitiveSchema { Tag: Schema.Type.Long }, var systemNull)) return new SourceFieldStep(SourcePart.SystemId, systemNull, null);
        if (position == layout.SourceLsn || position == layout.SourceSchema || position == layout.SourceTable
            || position == layout.SourceTsMs || position == layout.SourceTsUs
            || position == layout.SourceCommitLsn || position == layout.SourceEventSerialNo || position == layout.SourceSystemId)
            return new SourceFieldStep(SourcePart.Unsupported, -1, AvroSkip.For(field.Schema));
        return new SourceFieldStep(SourcePart.Other, -1, AvroSkip.For(field.Schema));
    }

    /// <summary>Reads a union index of a two-branch union and says whether it chose the null branch.</summary>
    static bool ReadIsNull(ref AvroBinaryReader reader, int nullIndex)
    {
        if (nullIndex < 0) return false;
        var start = reader.Position;
        var index = reader.ReadLong();
        if (index is not (0 or 1)) throw new AvroDecodingException($"union index {index} out of range: the union has 2 branches", start);
        return index == nullIndex;
    }

    ref struct State
    {
        public char Op;
        public PgTextRow? Before;
        public PgTextRow? After;
        public long? Lsn;
        public string? SourceSchema;
        public string? SourceTable;
        public long? TsMs;
        public long? TsUs;
        public long? CommitLsn;
        public long? EventSerialNo;
        public long? SystemId;
    }

    abstract class Step
    {
        public abstract void Read(ref AvroBinaryReader reader, EnvelopeTextDecoder decoder, ref State state);
    }

    sealed class RowStep(bool isAfter, int nullIndex) : Step
    {
        public override void Read(ref AvroBinaryReader reader, EnvelopeTextDecoder decoder, ref State state)
        {
            if (ReadIsNull(ref reader, nullIndex)) return;
            var row = decoder._rows.Read(ref reader);
            if (isAfter) state.After = row;
            else state.Before = row;
        }
    }

    sealed class OpStep : Step
    {
        public override void Read(ref AvroBinaryReader reader, EnvelopeTextDecoder decoder, ref State state)
        {
            var op = reader.ReadBytesSpan();
            if (!Utf8.IsValid(op)) throw new AvroDecodingException("string is not valid UTF-8", reader.Position - op.Length);
            // Anything but one of the ops this path handles leaves Op unset, and the generic path takes the record.
            state.Op = op.Length == 1 ? (char)op[0] : '\0';
        }
    }

    sealed class SkipStep(AvroSkip skip) : Step
    {
        public override void Read(ref AvroBinaryReader reader, EnvelopeTextDecoder decoder, ref State state) => skip.Read(ref reader);
    }

    enum SourcePart { Other, Lsn, Schema, Table, TsMs, TsUs, CommitLsn, EventSerialNo, SystemId, Unsupported }

    sealed class SourceFieldStep(SourcePart part, int nullIndex, AvroSkip? skip)
    {
        public void Read(ref AvroBinaryReader reader, EnvelopeTextDecoder decoder, ref State state)
        {
            switch (part)
            {
                case SourcePart.Other:
                    skip!.Read(ref reader);
                    return;
                case SourcePart.Unsupported:
                    // A source field of a type the generic path reads as something else (it then sees no LSN or name).
                    throw new NotSupportedException("source field of an unexpected type");
            }
            if (ReadIsNull(ref reader, nullIndex)) return;
            switch (part)
            {
                case SourcePart.Lsn:
                    state.Lsn = reader.ReadLong();
                    break;
                case SourcePart.Schema:
                    state.SourceSchema = decoder.Name(reader.ReadBytesSpan());
                    break;
                case SourcePart.TsMs:
                    state.TsMs = reader.ReadLong();
                    break;
                case SourcePart.TsUs:
                    state.TsUs = reader.ReadLong();
                    break;
                case SourcePart.CommitLsn:
                    state.CommitLsn = reader.ReadLong();
                    break;
                case SourcePart.EventSerialNo:
                    state.EventSerialNo = reader.ReadLong();
                    break;
                case SourcePart.SystemId:
                    state.SystemId = reader.ReadLong();
                    break;
                default:
                    state.SourceTable = decoder.Name(reader.ReadBytesSpan());
                    break;
            }
        }
    }

    sealed class SourceStep(int nullIndex, SourceFieldStep[] fields) : Step
    {
        public override void Read(ref AvroBinaryReader reader, EnvelopeTextDecoder decoder, ref State state)
        {
            if (ReadIsNull(ref reader, nullIndex)) return;
            foreach (var field in fields) field.Read(ref reader, decoder, ref state);
        }
    }
}
