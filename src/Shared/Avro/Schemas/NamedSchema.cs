namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A record, enum or fixed: a type with a name, an optional namespace, aliases and a doc string. Within one schema
/// a full name is defined once; later uses refer to it by name.
/// </summary>
public abstract class NamedSchema : AvroSchema
{
    private protected NamedSchema(
        string name,
        string? @namespace,
        string? doc,
        IEnumerable<string>? aliases,
        SchemaProperties properties,
        string kind)
        : base(properties)
    {
        ArgumentNullException.ThrowIfNull(name);
        var (simple, space) = AvroNames.Resolve(name, @namespace, kind);
        if (name.Contains('.') && !string.IsNullOrEmpty(@namespace) && @namespace != space)
        {
            throw new AvroSchemaException(
                $"{kind} '{name}': the name carries namespace '{space}', which contradicts the namespace '{@namespace}' given");
        }

        Name = simple;
        Namespace = space;
        FullName = AvroNames.FullName(simple, space);
        Doc = doc;
        Aliases = ResolveAliases(aliases, space, $"{kind} '{FullName}'");
    }

    /// <summary>The unqualified name, e.g. <c>Value</c>.</summary>
    public string Name { get; }

    /// <summary>The namespace, e.g. <c>kafkacdc.db.public.orders</c>, or <see langword="null"/> for none.</summary>
    public string? Namespace { get; }

    /// <summary>The namespace-qualified name, e.g. <c>kafkacdc.db.public.orders.Value</c>.</summary>
    public string FullName { get; }

    /// <summary>The documentation string, or <see langword="null"/>.</summary>
    public string? Doc { get; }

    /// <summary>Alternative full names, used when resolving a writer's type against this one; undotted aliases are qualified with <see cref="Namespace"/>.</summary>
    public IReadOnlyList<string> Aliases { get; }

    internal override string Describe() => $"{PrimitiveSchema.TypeName(Type)} '{FullName}'";

    private static string[] ResolveAliases(IEnumerable<string>? aliases, string? space, string owner)
    {
        if (aliases is null)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var alias in aliases)
        {
            if (alias is null)
            {
                throw new AvroSchemaException($"{owner}: an alias is null");
            }

            var full = AvroNames.Qualify(alias, space);
            AvroNames.Resolve(full, null, $"{owner} alias");
            if (!result.Contains(full))
            {
                result.Add(full);
            }
        }

        return [.. result];
    }
}
