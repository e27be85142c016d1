namespace KafkaCdc.Shared.Avro;

/// <summary>
/// One node of a compiled decoder tree: reads values of one writer schema into the generic representation. Built
/// once per schema (<see cref="DecoderCompiler"/>).
/// </summary>
internal abstract class DatumDecoder
{
    /// <param name="schema">The writer schema this node reads.</param>
    /// <param name="minimumSize">The fewest bytes a value of this schema encodes to, used to bound block counts.</param>
    protected DatumDecoder(AvroSchema schema, int minimumSize)
    {
        Schema = schema;
        MinimumSize = minimumSize;
    }

    public AvroSchema Schema { get; }

    public int MinimumSize { get; protected set; }

    public abstract object? Read(ref AvroBinaryReader reader);
}
