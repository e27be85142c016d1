namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Decides whether data written with one schema can be read with another, by the specification's "Schema
/// Resolution" rules as Avro Java's <c>SchemaCompatibility</c> (which Confluent Schema Registry uses) applies them:
/// promotions int → long → float → double and string ↔ bytes; named types matched by unqualified name or by a reader
/// alias of the writer's full name; record fields by name or reader field alias, a reader field missing in the writer
/// needing a default; writer enum symbols the reader lacks allowed only with a reader enum default; fixed sizes equal;
/// every branch of a writer union readable; a non-union writer readable by some branch of a reader union.
/// </summary>
public static class AvroSchemaCompatibility
{
    /// <summary>Checks that <paramref name="reader"/> can read all data written with <paramref name="writer"/>.</summary>
    public static SchemaCompatibilityResult Check(AvroSchema reader, AvroSchema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        return new SchemaCompatibilityResult(new Checker().Check(reader, writer, ""));
    }

    /// <summary>
    /// Checks a candidate schema against a subject's registered schemas (oldest first) at a Confluent compatibility
    /// level; the non-transitive levels look at the latest only.
    /// </summary>
    public static SchemaCompatibilityResult Check(CompatibilityLevel level, AvroSchema candidate, IReadOnlyList<AvroSchema> registered)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(registered);
        var transitive = level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;
        var backward = level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var forward = level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var against = transitive ? registered : registered.Count > 0 ? [registered[^1]] : [];

        var all = new List<SchemaIncompatibility>();
        foreach (var existing in against)
        {
            if (backward)
            {
                all.AddRange(Check(candidate, existing).Incompatibilities);
            }

            if (forward)
            {
                all.AddRange(Check(existing, candidate).Incompatibilities);
            }
        }

        return new SchemaCompatibilityResult(all);
    }

    private sealed class Checker
    {
        private static readonly List<SchemaIncompatibility> Compatible = [];

        // Results per (reader, writer) pair; a pair being checked counts as compatible, which ends recursion.
        private readonly Dictionary<(AvroSchema, AvroSchema), List<SchemaIncompatibility>> _memo = new(PairComparer.Instance);

        public List<SchemaIncompatibility> Check(AvroSchema reader, AvroSchema writer, string location)
        {
            if (_memo.TryGetValue((reader, writer), out var known))
            {
                return known;
            }

            _memo[(reader, writer)] = Compatible;
            var result = Calculate(reader, writer, location);
            _memo[(reader, writer)] = result;
            return result;
        }

        private List<SchemaIncompatibility> Calculate(AvroSchema reader, AvroSchema writer, string location)
        {
            var result = new List<SchemaIncompatibility>();
            if (reader.Type == writer.Type)
            {
                switch (reader)
                {
                    case ArraySchema array:
                        result.AddRange(Check(array.Items, ((ArraySchema)writer).Items, location + "/items"));
                        break;
                    case MapSchema map:
                        result.AddRange(Check(map.Values, ((MapSchema)writer).Values, location + "/values"));
                        break;
                    case FixedSchema fixedSchema:
                        CheckName(fixedSchema, (NamedSchema)writer, location, result);
                        var writerSize = ((FixedSchema)writer).Size;
                        if (fixedSchema.Size != writerSize)
                        {
                            result.Add(new(SchemaIncompatibilityKind.FixedSizeMismatch, Where(location + "/size"),
                                $"reader fixed size {fixedSchema.Size} differs from writer fixed size {writerSize}", reader, writer));
                        }

                        break;
                    case EnumSchema enumSchema:
                        CheckName(enumSchema, (NamedSchema)writer, location, result);
                        var missing = ((EnumSchema)writer).Symbols.Where(s => enumSchema.IndexOf(s) < 0).ToList();
                        if (missing.Count > 0 && enumSchema.Default is null)
                        {
                            result.Add(new(SchemaIncompatibilityKind.MissingEnumSymbols, Where(location + "/symbols"),
                                $"reader enum lacks writer symbols [{string.Join(", ", missing)}] and has no default", reader, writer));
                        }

                        break;
                    case RecordSchema record:
                        CheckName(record, (NamedSchema)writer, location, result);
                        CheckFields(record, (RecordSchema)writer, location, result);
                        break;
                    case UnionSchema:
                        var branches = ((UnionSchema)writer).Branches;
                        for (var i = 0; i < branches.Count; i++)
                        {
                            result.AddRange(Check(reader, branches[i], $"{location}/{i}"));
                        }

                        break;
                }

                return result;
            }

            if (writer is UnionSchema writerUnion)
            {
                for (var i = 0; i < writerUnion.Branches.Count; i++)
                {
                    result.AddRange(Check(reader, writerUnion.Branches[i], $"{location}/{i}"));
                }

                return result;
            }

            var promotable = (reader.Type, writer.Type) switch
            {
                (AvroType.Long, AvroType.Int) => true,
                (AvroType.Float, AvroType.Int or AvroType.Long) => true,
                (AvroType.Double, AvroType.Int or AvroType.Long or AvroType.Float) => true,
                (AvroType.Bytes, AvroType.String) or (AvroType.String, AvroType.Bytes) => true,
                _ => false,
            };
            if (promotable)
            {
                return result;
            }

            if (reader is UnionSchema readerUnion)
            {
                if (!readerUnion.Branches.Any(branch => Check(branch, writer, location).Count == 0))
                {
                    result.Add(new(SchemaIncompatibilityKind.MissingUnionBranch, Where(location),
                        $"reader union has no branch that can read writer type {Name(writer)}", reader, writer));
                }

                return result;
            }

            result.Add(new(SchemaIncompatibilityKind.TypeMismatch, Where(location),
                $"reader type {Name(reader)} cannot read writer type {Name(writer)}", reader, writer));
            return result;
        }

        private void CheckFields(RecordSchema reader, RecordSchema writer, string location, List<SchemaIncompatibility> result)
        {
            foreach (var readerField in reader.Fields)
            {
                var writerField = WriterFieldFor(writer, readerField);
                var fieldLocation = $"{location}/fields/{readerField.Position}";
                if (writerField is null)
                {
                    if (!readerField.HasDefault)
                    {
                        result.Add(new(SchemaIncompatibilityKind.ReaderFieldMissingDefaultValue, Where(fieldLocation),
                            $"reader field '{readerField.Name}' has no default and is missing in the writer", reader, writer));
                    }
                }
                else
                {
                    result.AddRange(Check(readerField.Schema, writerField.Schema, fieldLocation + "/type"));
                }
            }
        }

        private static AvroField? WriterFieldFor(RecordSchema writer, AvroField readerField)
        {
            if (writer.TryGetField(readerField.Name, out var direct))
            {
                return direct;
            }

            foreach (var alias in readerField.Aliases)
            {
                if (writer.TryGetField(alias, out var aliased))
                {
                    return aliased;
                }
            }

            return null;
        }

        private static void CheckName(NamedSchema reader, NamedSchema writer, string location, List<SchemaIncompatibility> result)
        {
            // Like Java (and so Confluent), unqualified names compare: a namespace change alone is compatible.
            if (reader.Name != writer.Name && !reader.Aliases.Contains(writer.FullName))
            {
                result.Add(new(SchemaIncompatibilityKind.NameMismatch, Where(location + "/name"),
                    $"reader name '{reader.FullName}' does not match writer name '{writer.FullName}' (unqualified names differ and no reader alias names the writer)",
                    reader, writer));
            }
        }

        private static string Where(string location) => location.Length == 0 ? "/" : location;

        private static string Name(AvroSchema schema) => schema switch
        {
            NamedSchema named => $"{PrimitiveSchema.TypeName(named.Type)} '{named.FullName}'",
            _ => $"'{PrimitiveSchema.TypeName(schema.Type)}'",
        };
    }

    private sealed class PairComparer : IEqualityComparer<(AvroSchema, AvroSchema)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((AvroSchema, AvroSchema) x, (AvroSchema, AvroSchema) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((AvroSchema, AvroSchema) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
