using System.Globalization;
using System.Runtime.CompilerServices;
using Avro.Generic;
using Avro.IO;
using KafkaCdc.Shared;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.ChangeEvents;

namespace KafkaCdc.SourceConnector.Encoding;

/// <summary>
/// Writes the envelope of a change (<c>ChangeEventSchemas.Envelope</c>) in the Confluent wire format field by field,
/// with the parts that are constant per connector (<c>version</c>, <c>connector</c>, <c>name</c>, <c>db</c>) or per
/// table version (<c>schema</c>, <c>table</c>) pre-encoded, instead of building a <see cref="GenericRecord"/> for the
/// envelope and its <c>source</c> block per change, through Apache.Avro's <see cref="BinaryEncoder"/>. The row images
/// are written by Apache.Avro's writer of the table's <c>Value</c> schema. The bytes are exactly those Apache.Avro's
/// <see cref="GenericDatumWriter{T}"/> writes for the same envelope as a <see cref="GenericRecord"/> (tested against it
/// on every type of the contract).
/// </summary>
/// <remarks>
/// The envelope's fields, in order: <c>before</c> and <c>after</c> (<c>union {null, Value}</c>), <c>source</c>
/// (<c>version</c>, <c>connector</c>, <c>name</c>, <c>ts_ms</c>, <c>snapshot</c>, <c>db</c>, then the unions
/// <c>{null, T}</c> <c>sequence</c>, <c>ts_us</c>, then <c>schema</c>, <c>table</c>, then the unions <c>txId</c>,
/// <c>lsn</c>, <c>xmin</c>, <c>commit_lsn</c>, <c>event_serial_no</c>, <c>system_id</c>), <c>op</c>, then the unions
/// <c>ts_ms</c>, <c>ts_us</c>, <c>transaction</c> (always null).
/// The envelope schema must be registered first (<see cref="SchemaRegistrar"/>). Publisher thread only.
/// </remarks>
internal sealed class EnvelopeWriter
{
    readonly AvroSerializer _serializer;
    readonly byte[] _connectorPart;
    readonly byte[] _databasePart;
    readonly ConditionalWeakTable<CapturedTable, TableParts> _tables = [];
    readonly MemoryStream _buffer = new(4096);
    readonly BinaryEncoder _encoder;
    readonly byte[] _sequence = new byte[64];
    readonly ulong _systemId;

    /// <summary>
    /// Creates the writer of connector <paramref name="connectorName"/> capturing <paramref name="database"/> on the server
    /// with system identifier <paramref name="systemId"/>.
    /// </summary>
    public EnvelopeWriter(AvroSerializer serializer, string connectorName, string database, ulong systemId = 0)
    {
        _serializer = serializer;
        _systemId = systemId;
        _encoder = new BinaryEncoder(_buffer);
        _connectorPart = Strings(KafkaCdcVersion.Current, "postgresql", connectorName);
        _databasePart = Strings(database);
    }

    /// <summary>
    /// The framed envelope of one record of <paramref name="change"/>, which of its records <paramref name="part"/> says
    /// (<see cref="SourcePosition.ChangeRecord"/>, <see cref="SourcePosition.CreateUnderNewKey"/>): a streamed change's
    /// envelope carries its <see cref="SourcePosition"/> in <c>commit_lsn</c>, <c>event_serial_no</c> and <c>system_id</c>.
    /// </summary>
    /// <exception cref="AvroEncodingException">A row value does not fit the table's <c>Value</c> schema.</exception>
    /// <exception cref="InvalidOperationException">The table's envelope schema is not registered yet.</exception>
    public byte[] Write(ChangeEvent change, GenericRecord? before, GenericRecord? after, string op, long nowMicros, ulong part)
    {
        var table = _tables.GetValue(change.Table, CreateParts);
        var source = change.Source;
        _buffer.SetLength(0);
        Span<byte> header = stackalloc byte[ConfluentWireFormat.HeaderSize];
        ConfluentWireFormat.WriteHeader(table.SchemaId(_serializer, change.Table), header);
        _buffer.Write(header);
        WriteRow(table.Value, before);
        WriteRow(table.Value, after);

        _encoder.WriteFixed(_connectorPart);
        _encoder.WriteLong(source.CommitTimeMicros / 1000);
        _encoder.WriteString(source.Snapshot);
        _encoder.WriteFixed(_databasePart);
        _encoder.WriteUnionIndex(1);
        WriteSequence(source);
        _encoder.WriteUnionIndex(1);
        _encoder.WriteLong(source.CommitTimeMicros);
        _encoder.WriteFixed(table.Names);
        if (source.TransactionId is { } transactionId)
        {
            _encoder.WriteUnionIndex(1);
            _encoder.WriteLong(transactionId);
        }
        else
        {
            _encoder.WriteUnionIndex(0);
        }
        _encoder.WriteUnionIndex(1);
        _encoder.WriteLong((long)(ulong)source.Lsn);
        _encoder.WriteUnionIndex(0); // xmin
        if (change.PositionOf(_systemId, part) is { } position)
        {
            _encoder.WriteUnionIndex(1);
            _encoder.WriteLong((long)position.CommitLsn);
            _encoder.WriteUnionIndex(1);
            _encoder.WriteLong((long)position.Ordinal);
            _encoder.WriteUnionIndex(1);
            _encoder.WriteLong((long)position.SystemId);
        }
        else
        {
            _encoder.WriteUnionIndex(0);
            _encoder.WriteUnionIndex(0);
            _encoder.WriteUnionIndex(0);
        }

        _encoder.WriteString(op);
        _encoder.WriteUnionIndex(1);
        _encoder.WriteLong(nowMicros / 1000);
        _encoder.WriteUnionIndex(1);
        _encoder.WriteLong(nowMicros);
        _encoder.WriteUnionIndex(0); // transaction
        _encoder.Flush();
        return _buffer.ToArray();
    }

    void WriteRow(AvroGenericWriter value, GenericRecord? row)
    {
        if (row is null)
        {
            _encoder.WriteUnionIndex(0);
            return;
        }
        _encoder.WriteUnionIndex(1);
        value.Write(row, _encoder);
    }

    /// <summary>The <c>sequence</c> string, <c>["&lt;last commit LSN&gt;","&lt;LSN&gt;"]</c> (<c>[null,…]</c> when unknown), without allocating it.</summary>
    void WriteSequence(SourceInfo source)
    {
        var text = _sequence.AsSpan();
        var length = 0;
        text[length++] = (byte)'[';
        if (source.LastCommitLsn is { } last)
        {
            text[length++] = (byte)'"';
            ((ulong)last).TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
            length += written;
            text[length++] = (byte)'"';
        }
        else
        {
            "null"u8.CopyTo(text[length..]);
            length += 4;
        }
        ",\""u8.CopyTo(text[length..]);
        length += 2;
        ((ulong)source.Lsn).TryFormat(text[length..], out var lsnWritten, default, CultureInfo.InvariantCulture);
        length += lsnWritten;
        "\"]"u8.CopyTo(text[length..]);
        length += 2;
        _encoder.WriteLong(length);
        _encoder.WriteFixed(_sequence, 0, length);
    }

    static TableParts CreateParts(CapturedTable table) =>
        new(new AvroGenericWriter(table.Schema.Value), Strings(table.Name.Schema, table.Name.Name));

    /// <summary>The Avro encodings of <paramref name="values"/> as strings, one after the other.</summary>
    static byte[] Strings(params string[] values)
    {
        using var buffer = new MemoryStream();
        var encoder = new BinaryEncoder(buffer);
        foreach (var value in values) encoder.WriteString(value);
        encoder.Flush();
        return buffer.ToArray();
    }

    /// <summary>What is constant per table version: the <c>Value</c> writer, the encoded schema and table names, the envelope's schema id.</summary>
    sealed class TableParts(AvroGenericWriter value, byte[] names)
    {
        int _schemaId = -1;

        public AvroGenericWriter Value { get; } = value;

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
