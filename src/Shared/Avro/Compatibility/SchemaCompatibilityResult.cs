namespace KafkaCdc.Shared.Avro;

/// <summary>The outcome of a compatibility check: compatible, or the list of reasons it is not.</summary>
public sealed class SchemaCompatibilityResult
{
    internal SchemaCompatibilityResult(IReadOnlyList<SchemaIncompatibility> incompatibilities) =>
        Incompatibilities = incompatibilities;

    /// <summary>Whether every check passed.</summary>
    public bool IsCompatible => Incompatibilities.Count == 0;

    /// <summary>Every reason found, in the order the schemas were walked; empty when compatible.</summary>
    public IReadOnlyList<SchemaIncompatibility> Incompatibilities { get; }

    /// <summary><c>compatible</c>, or the incompatibilities one per line.</summary>
    public override string ToString() =>
        IsCompatible ? "compatible" : string.Join(Environment.NewLine, Incompatibilities);
}
