namespace KafkaCdc.Shared.Avro;

/// <summary>The specification's rules for names and namespaces ("Names" section).</summary>
internal static class AvroNames
{
    private static readonly HashSet<string> PrimitiveNames =
        ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

    /// <summary>Whether <paramref name="name"/> matches <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name.AsSpan(1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPrimitiveName(string name) => PrimitiveNames.Contains(name);

    /// <summary>
    /// Splits and checks the name of a named type: a dotted <paramref name="name"/> carries its own namespace and
    /// <paramref name="namespace"/> is then ignored, as the specification says; an empty namespace means none.
    /// </summary>
    public static (string Name, string? Namespace) Resolve(string name, string? @namespace, string what)
    {
        var dot = name.LastIndexOf('.');
        string simple;
        string? space;
        if (dot >= 0)
        {
            simple = name[(dot + 1)..];
            space = name[..dot];
        }
        else
        {
            simple = name;
            space = @namespace;
        }

        if (string.IsNullOrEmpty(space))
        {
            space = null;
        }

        if (!IsValidName(simple))
        {
            throw new AvroSchemaException($"{what}: invalid name '{name}' (names match [A-Za-z_][A-Za-z0-9_]*)");
        }

        if (space is not null && !IsValidNamespace(space))
        {
            throw new AvroSchemaException($"{what} '{simple}': invalid namespace '{space}' (dot-separated names)");
        }

        if (IsPrimitiveName(simple))
        {
            throw new AvroSchemaException($"{what}: '{simple}' is a primitive type name and cannot name a type");
        }

        return (simple, space);
    }

    public static string FullName(string name, string? @namespace) => @namespace is null ? name : @namespace + "." + name;

    /// <summary>The full name a reference or alias denotes, relative to <paramref name="enclosingNamespace"/> when undotted.</summary>
    public static string Qualify(string reference, string? enclosingNamespace) =>
        reference.Contains('.') || enclosingNamespace is null ? reference : enclosingNamespace + "." + reference;

    /// <summary>The namespace part of a full name, or <see langword="null"/>.</summary>
    public static string? NamespaceOf(string fullName)
    {
        var dot = fullName.LastIndexOf('.');
        return dot < 0 ? null : fullName[..dot];
    }

    /// <summary>The unqualified part of a full name.</summary>
    public static string SimpleNameOf(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];

    private static bool IsValidNamespace(string space)
    {
        foreach (var part in space.Split('.'))
        {
            if (!IsValidName(part))
            {
                return false;
            }
        }

        return true;
    }
}
