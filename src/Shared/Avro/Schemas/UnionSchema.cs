namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A union: a value of one of its branches, encoded as the branch index followed by the value. Branches may not
/// be unions, and no two may have the same type, except named types with different full names.
/// </summary>
public sealed class UnionSchema : AvroSchema
{
    /// <summary>Creates a union of <paramref name="branches"/>, in order (an empty union is valid but has no values).</summary>
    /// <exception cref="AvroSchemaException">A branch is a union, two branches have the same type or full name, or two different types share a full name.</exception>
    public UnionSchema(IEnumerable<AvroSchema> branches)
        : base(SchemaProperties.Empty)
    {
        ArgumentNullException.ThrowIfNull(branches);
        Branches = [.. branches];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Branches.Count; i++)
        {
            var branch = Branches[i] ?? throw new AvroSchemaException($"union branch {i} is null");
            if (branch is UnionSchema)
            {
                throw new AvroSchemaException($"union branch {i}: a union may not directly contain another union");
            }

            var key = branch is NamedSchema named ? named.FullName : PrimitiveSchema.TypeName(branch.Type);
            if (!keys.Add(key))
            {
                throw new AvroSchemaException(
                    $"union branch {i}: {branch.Describe()} duplicates an earlier branch (only named types with different names may repeat a type)");
            }
        }

        NamedTypeConsistency.Check(null, Branches, "union");
    }

    /// <inheritdoc />
    public override AvroType Type => AvroType.Union;

    /// <summary>The branches, in index order.</summary>
    public IReadOnlyList<AvroSchema> Branches { get; }

    internal override string Describe() => ToJson();
}
