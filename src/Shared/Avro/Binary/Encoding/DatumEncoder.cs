namespace KafkaCdc.Shared.Avro;

/// <summary>
/// One node of a compiled encoder tree: writes values of one schema. The tree is built once per schema
/// (<see cref="EncoderCompiler"/>), so writing a record costs a virtual call per field and no lookups.
/// </summary>
internal abstract class DatumEncoder
{
    protected DatumEncoder(AvroSchema schema) => Schema = schema;

    public AvroSchema Schema { get; }

    public abstract void Write(ref AvroBinaryWriter writer, object? value);

    protected AvroEncodingException Mismatch(object? value) =>
        new($"expected {Schema.Describe()}, got {DescribeValue(value)}");

    protected static AvroEncodingException Invalid(string problem, Exception? inner = null) => new(problem, inner);

    /// <summary>How error messages name a value's type: the CLR type, or the schema for generic named values.</summary>
    public static string DescribeValue(object? value) => value switch
    {
        null => "null",
        GenericRecord record => $"record '{record.Schema.FullName}'",
        GenericEnum symbol => $"enum '{symbol.Schema.FullName}'",
        GenericFixed fixedValue => $"fixed '{fixedValue.Schema.FullName}'",
        _ => value.GetType().Name,
    };
}
