using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using KafkaCdc.Shared;
using KafkaCdc.Shared.Avro;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.ChangeEvents;

namespace KafkaCdc.SourceConnector.Encoding;

/// <summary>
/// Writes the envelope of a change (<c>ChangeEventSchemas.Envelope</c>) in the Confluent wire format field by field,
/// with the parts that are constant per connector (<c>version</c>, <c>connector</c>, <c>name</c>, <c>db</c>) or per
/// table version (<c>schema</c>, <c>table</c>) pre-encoded, instead of building a <see cref="GenericRecord"/> for the
/// envelope and its <c>source</c> block per change. The row images are written by the compiled writer of the table's
/// <c>Value</c> schema. The bytes are exactly those <see cref="AvroSerializer"/> writes for the same envelope as a
/// <see cref="GenericRecord"/> (tested against it on every type of the contract).
/// </summary>
/// <remarks>
/// The envelope's fields, in order: <c>before</c> and <c>after</c> (<c>union {null, Value}</c>), <c>source</c>
/// (<c>version</c>, <c>connector</c>, <c>name</c>, <c>ts_ms</c>, <c>snapshot</c>, <c>db</c>, then the unions
/// <c>{null, T}</c> <c>sequence</c>, <c>ts_us</c>, then <c>schema</c>, <c>table</c>, then the unions <c>txId</c>,
/// <c>lsn</c>, <c>xmin</c>), <c>op</c>, then the unions <c>ts_ms</c>, <c>ts_us</c>, <c>transaction</c> (always null).
/// The envelope schema must be registered first (<see cref="SchemaRegistrar"/>). Publisher thread only.
/// </remarks>
internal sealed class EnvelopeWriter
{
    const byte NullBranch = 0;
    const byte ValueBranch = 2; // union index 1 as a zig-zag varint

    readonly AvroSerializer _serializer;
    readonly byte[] _connectorPart;
    readonly byte[] _databasePart;
    readonly ConditionalWeakTable<CapturedTable, TableParts> _tables = [];
    readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>Creates the writer of connector <paramref name="connectorName"/> capturing <paramref name="database"/>.</summary>
    public EnvelopeWriter(AvroSerializer serializer, string connectorName, string database)
    {
        _serializer = serializer;
        _connectorPart = Strings(KafkaCdcVersion.Current, "postgresql", connectorName);
        _databasePart = Strings(database);
    }

    /// <summary>The framed envelope of one record of <paramref name="change"/>.</summary>
    /// <exception cref="AvroEncodingException">A row value does not fit the table's <c>Value</c> schema.</exception>
    /// <exception cref="InvalidOperationException">The table's envelope schema is not registered yet.</exception>
    public byte[] Write(ChangeEvent change, GenericRecord? before, GenericRecord? after, string op, long nowMicros)
    {
        var table = _tables.GetValue(change.Table, CreateParts);
        var source = change.Source;
        _buffer.ResetWrittenCount();
        ConfluentWireFormat.WriteHeader(table.SchemaId(_serializer, change.Table), _buffer);
        var writer = new AvroBinaryWriter(_buffer);
        WriteRow(ref writer, table.Value, before);
        WriteRow(ref writer, table.Value, after);

        writer.WriteFixed(_connectorPart);
        writer.WriteLong(source.CommitTimeMicros / 1000);
        writer.WriteString(source.Snapshot);
        writer.WriteFixed(_databasePart);
        writer.WriteUnionIndex(1);
        WriteSequence(ref writer, source);
        writer.WriteUnionIndex(1);
        writer.WriteLong(source.CommitTimeMicros);
        writer.WriteFixed(table.Names);
        if (source.TransactionId is { } transactionId)
        {
            writer.WriteUnionIndex(1);
            writer.WriteLong(transactionId);
        }
        else
        {
            writer.WriteUnionIndex(0);
        }
        writer.WriteUnionIndex(1);
        writer.WriteLong((long)source.Lsn);
        writer.WriteUnionIndex(0); // xmin

        writer.WriteString(op);
        writer.WriteUnionIndex(1);
        writer.WriteLong(nowMicros / 1000);
        writer.WriteUnionIndex(1);
        writer.WriteLong(nowMicros);
        writer.WriteUnionIndex(0); // transaction
        writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    static void WriteRow(ref AvroBinaryWriter writer, AvroDatumWriter value, GenericRecord? row)
    {
        if (row is null)
        {
            writer.GetSpan(1)[0] = NullBranch;
            writer.Advance(1);
            return;
        }
        writer.GetSpan(1)[0] = ValueBranch;
        writer.Advance(1);
        value.Write(row, ref writer);
    }

    /// <summary>The <c>sequence</c> string, <c>["&lt;last commit LSN&gt;","&lt;LSN&gt;"]</c> (<c>[null,…]</c> when unknown), without allocating it.</summary>
    static void WriteSequence(ref AvroBinaryWriter writer, SourceInfo source)
    {
        Span<char> text = stackalloc char[64];
        var length = 0;
        text[length++] = '[';
        if (source.LastCommitLsn is { } last)
        {
            text[length++] = '"';
            last.TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
            length += written;
            text[length++] = '"';
        }
        else
        {
            "null".CopyTo(text[length..]);
            length += 4;
        }
        ",\"".CopyTo(text[length..]);
        length += 2;
        source.Lsn.TryFormat(text[length..], out var lsnWritten, default, CultureInfo.InvariantCulture);
        length += lsnWritten;
        "\"]".CopyTo(text[length..]);
        length += 2;
        writer.WriteString(text[..length]);
    }

    static TableParts CreateParts(CapturedTable table) =>
        new(new AvroDatumWriter(table.Schema.Value), Strings(table.Name.Schema, table.Name.Name));

    /// <summary>The Avro encodings of <paramref name="values"/> as strings, one after the other.</summary>
    static byte[] Strings(params string[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AvroBinaryWriter(buffer);
        foreach (var value in values) writer.WriteString(value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What is constant per table version: the <c>Value</c> writer, the encoded schema and table names, the envelope's schema id.</summary>
    sealed class TableParts(AvroDatumWriter value, byte[] names)
    {
        int _schemaId = -1;

        public AvroDatumWriter Value { get; } = value;

        public byte[] Names { get; } = names;

        public int SchemaId(AvroSerializer serializer, CapturedTable table)
        {
            if (_schemaId >= 0) return _schemaId;
            if (!serializer.TryGetSchemaId(table.Topic, false, table.Schema.Envelope, out var id))
                throw new InvalidOperationException($"No schema id for subject \"{AvroSerializer.SubjectName(table.Topic, false)}\": the envelope schema is not registered");
            return _schemaId = id;
        }
    }
}
