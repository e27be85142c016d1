namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Checks that schemas built in code use each full name for one definition only, as a parsed schema must. Two
/// instances with the same full name are fine when they are structurally equal: the JSON writer then defines the
/// first and refers to it from the second.
/// </summary>
internal static class NamedTypeConsistency
{
    public static void Check(NamedSchema? self, IEnumerable<AvroSchema> children, string owner)
    {
        var seen = new Dictionary<string, NamedSchema>(StringComparer.Ordinal);
        var visited = new HashSet<AvroSchema>(ReferenceEqualityComparer.Instance);
        if (self is not null)
        {
            seen.Add(self.FullName, self);
            visited.Add(self);
        }

        foreach (var child in children)
        {
            Walk(child, seen, visited, owner);
        }
    }

    private static void Walk(AvroSchema schema, Dictionary<string, NamedSchema> seen, HashSet<AvroSchema> visited, string owner)
    {
        if (!visited.Add(schema))
        {
            return;
        }

        if (schema is NamedSchema named)
        {
            if (seen.TryGetValue(named.FullName, out var earlier))
            {
                if (!earlier.Equals(named))
                {
                    throw new AvroSchemaException(
                        $"{owner}: two different definitions of '{named.FullName}' ({earlier.Describe()} and {named.Describe()}); a full name may be defined once");
                }
            }
            else
            {
                seen.Add(named.FullName, named);
            }
        }

        switch (schema)
        {
            case RecordSchema record:
                foreach (var field in record.Fields)
                {
                    Walk(field.Schema, seen, visited, owner);
                }

                break;
            case ArraySchema array:
                Walk(array.Items, seen, visited, owner);
                break;
            case MapSchema map:
                Walk(map.Values, seen, visited, owner);
                break;
            case UnionSchema union:
                foreach (var branch in union.Branches)
                {
                    Walk(branch, seen, visited, owner);
                }

                break;
        }
    }
}
