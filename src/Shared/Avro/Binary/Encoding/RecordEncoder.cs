using System.Runtime.CompilerServices;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A record: accepts a <see cref="GenericRecord"/> and writes its fields in order. A record of this very schema
/// instance is written by position; one of another instance with the same full name is matched field by field by
/// name (each field must be present).
/// </summary>
internal sealed class RecordEncoder(RecordSchema schema) : DatumEncoder(schema)
{
    /// <summary>How deeply records, arrays and maps may nest before the value is taken to be cyclic.</summary>
    internal const int MaxDepth = 1000;

    private readonly RecordSchema _schema = schema;
    private DatumEncoder[] _fields = [];
    private RecordSchema? _lastEqualSchema;

    public void SetFieldEncoders(DatumEncoder[] fields) => _fields = fields;

    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        if (value is not GenericRecord record)
        {
            throw Mismatch(value);
        }

        if (++writer.Depth > MaxDepth || (writer.Depth > 64 && !RuntimeHelpers.TryEnsureSufficientExecutionStack()))
        {
            throw Invalid($"records nest more than {writer.Depth - 1} deep; does the value contain itself?");
        }

        var values = ReferenceEquals(record.Schema, _schema) || ReferenceEquals(record.Schema, _lastEqualSchema)
            ? record.Values
            : Align(record);
        var fields = _fields;
        for (var i = 0; i < fields.Length; i++)
        {
            try
            {
                fields[i].Write(ref writer, values[i]);
            }
            catch (AvroEncodingException e) when (e.PrependField(_schema.Fields[i].Name))
            {
                throw;
            }
        }

        writer.Depth--;
    }

    private object?[] Align(GenericRecord record)
    {
        if (record.Schema.FullName != _schema.FullName)
        {
            throw Mismatch(record);
        }

        if (record.Schema.Equals(_schema))
        {
            _lastEqualSchema = record.Schema;
            return record.Values;
        }

        var values = new object?[_fields.Length];
        foreach (var field in _schema.Fields)
        {
            values[field.Position] = record.TryGetValue(field.Name, out var value)
                ? value
                : throw Invalid($"record '{record.Schema.FullName}' value has no field '{field.Name}' (its schema differs from the writer's)");
        }

        return values;
    }
}
