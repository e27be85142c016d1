using System.Runtime.CompilerServices;
using Avro;
using Newtonsoft.Json.Linq;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// Avro's schema resolution rules as a compatibility check over Apache.Avro's schema model: a port of Avro Java's
/// <c>SchemaCompatibility.ReaderWriterCompatibilityChecker</c> (1.12), which Confluent's registry runs, with its locations
/// and messages. Logical types do not count, as in Java.
/// </summary>
/// <remarks>
/// Apache.Avro's own <see cref="Schema.CanRead"/> is not used: it answers only yes or no (Confluent's answers name each
/// reason and where), and its verdicts differ from Java's: it accepts any writer union for a primitive or union reader
/// without looking at the branches, never checks enum symbols, has no string/bytes promotion, compares full names (a
/// namespace change alone fails), fails a logical type against its plain base type, and rejects a writer union for a
/// record, enum, fixed, array or map reader even when every branch is readable. <c>AvroCompatibilityTests</c> pins each.
/// </remarks>
static class AvroCompatibility
{
    /// <summary>Every reason <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<Incompatibility> Check(Schema reader, Schema writer) => new Checker().Check(reader, writer, "");

    sealed class Checker
    {
        static readonly List<Incompatibility> s_compatible = [];

        // Results per (reader, writer) pair, as Java memoizes them; a pair being checked counts as compatible, which ends recursion.
        readonly Dictionary<(Schema, Schema), List<Incompatibility>> _memo = new(ReferencePairComparer.Instance);

        public List<Incompatibility> Check(Schema reader, Schema writer, string location)
        {
            reader = reader is LogicalSchema readerLogical ? readerLogical.BaseSchema : reader;
            writer = writer is LogicalSchema writerLogical ? writerLogical.BaseSchema : writer;
            if (_memo.TryGetValue((reader, writer), out var known)) return known;
            _memo[(reader, writer)] = s_compatible;
            var result = Calculate(reader, writer, location);
            _memo[(reader, writer)] = result;
            return result;
        }

        List<Incompatibility> Calculate(Schema reader, Schema writer, string location)
        {
            var result = new List<Incompatibility>();
            if (JavaType(reader) == JavaType(writer))
            {
                switch (reader)
                {
                    case ArraySchema array:
                        result.AddRange(Check(array.ItemSchema, ((ArraySchema)writer).ItemSchema, location + "/items"));
                        break;
                    case MapSchema map:
                        result.AddRange(Check(map.ValueSchema, ((MapSchema)writer).ValueSchema, location + "/values"));
                        break;
                    case FixedSchema readerFixed:
                        CheckName(readerFixed, (NamedSchema)writer, location, result);
                        var writerSize = ((FixedSchema)writer).Size;
                        if (readerFixed.Size != writerSize)
                            result.Add(new("FIXED_SIZE_MISMATCH", location + "/size", $"expected: {writerSize}, found: {readerFixed.Size}"));
                        break;
                    case EnumSchema readerEnum:
                        CheckName(readerEnum, (NamedSchema)writer, location, result);
                        // Java lists the missing symbols sorted (a TreeSet), and a reader default makes them all readable.
                        var missing = ((EnumSchema)writer).Symbols.Where(s => !readerEnum.Symbols.Contains(s)).Order(StringComparer.Ordinal).ToList();
                        if (missing.Count > 0 && readerEnum.Default is null)
                            result.Add(new("MISSING_ENUM_SYMBOLS", location + "/symbols", $"[{string.Join(", ", missing)}]"));
                        break;
                    case RecordSchema record:
                        CheckName(record, (NamedSchema)writer, location, result);
                        CheckFields(record, (RecordSchema)writer, location, result);
                        break;
                    case UnionSchema:
                        // Each writer branch must be readable; Java reports the branch, not the reason inside it.
                        var branches = ((UnionSchema)writer).Schemas;
                        for (var i = 0; i < branches.Count; i++)
                        {
                            if (Check(reader, branches[i], "").Count > 0)
                                result.Add(new("MISSING_UNION_BRANCH", $"{location}/{i}", $"reader union lacking writer type: {JavaType(branches[i])}"));
                        }
                        break;
                }
                return result;
            }

            if (writer is UnionSchema writerUnion)
            {
                for (var i = 0; i < writerUnion.Schemas.Count; i++) result.AddRange(Check(reader, writerUnion.Schemas[i], $"{location}/{i}"));
                return result;
            }

            var promotable = (JavaType(reader), JavaType(writer)) switch
            {
                ("LONG", "INT") => true,
                ("FLOAT", "INT" or "LONG") => true,
                ("DOUBLE", "INT" or "LONG" or "FLOAT") => true,
                ("BYTES", "STRING") or ("STRING", "BYTES") => true,
                _ => false,
            };
            if (promotable) return result;

            if (reader is UnionSchema readerUnion)
            {
                if (!readerUnion.Schemas.Any(branch => Check(branch, writer, "").Count == 0))
                    result.Add(new("MISSING_UNION_BRANCH", Where(location), $"reader union lacking writer type: {JavaType(writer)}"));
                return result;
            }

            result.Add(new("TYPE_MISMATCH", Where(location), $"reader type: {JavaType(reader)} not compatible with writer type: {JavaType(writer)}"));
            return result;
        }

        void CheckFields(RecordSchema reader, RecordSchema writer, string location, List<Incompatibility> result)
        {
            foreach (var readerField in reader.Fields)
            {
                var writerField = WriterFieldFor(writer, readerField);
                var fieldLocation = $"{location}/fields/{readerField.Pos}";
                if (writerField is not null)
                {
                    result.AddRange(Check(readerField.Schema, writerField.Schema, fieldLocation + "/type"));
                }
                else if (readerField.DefaultValue is null)
                {
                    // Java's quirk, kept for the same answer: an enum field with an enum default is checked against the writer record.
                    if (readerField.Schema is EnumSchema { Default: not null })
                        result.AddRange(Check(readerField.Schema, writer, fieldLocation + "/type"));
                    else
                        result.Add(new("READER_FIELD_MISSING_DEFAULT_VALUE", fieldLocation, readerField.Name));
                }
            }
        }

        static Field? WriterFieldFor(RecordSchema writer, Field readerField)
        {
            if (writer.TryGetField(readerField.Name, out var direct)) return direct;
            foreach (var alias in readerField.Aliases ?? [])
            {
                if (writer.TryGetField(alias, out var aliased)) return aliased;
            }
            return null;
        }

        static void CheckName(NamedSchema reader, NamedSchema writer, string location, List<Incompatibility> result)
        {
            // Java compares unqualified names (a namespace change alone is compatible), else looks for the writer's full name among the reader's aliases.
            if (reader.Name != writer.Name && !AliasesOf(reader).Contains(writer.Fullname))
                result.Add(new("NAME_MISMATCH", location + "/name", $"expected: {writer.Fullname}"));
        }

        /// <summary>A named schema's aliases, fully qualified (Apache.Avro keeps them private; its JSON has them).</summary>
        static IReadOnlyList<string> AliasesOf(NamedSchema schema)
        {
            if (JToken.Parse(schema.ToString())["aliases"] is not JArray aliases) return [];
            return [.. aliases.Select(a => (string)a!).Select(a => a.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(schema.Namespace) ? a : $"{schema.Namespace}.{a}")];
        }

        static string Where(string location) => location.Length == 0 ? "/" : location;

        /// <summary>
        /// Java's <c>Schema.Type</c> name: <c>INT</c>, <c>RECORD</c>, <c>ENUM</c>... (a logical type is its base type there,
        /// an Avro <c>error</c> a record).
        /// </summary>
        static string JavaType(Schema schema) => schema switch
        {
            LogicalSchema logical => JavaType(logical.BaseSchema),
            { Tag: Schema.Type.Error } => "RECORD",
            _ => Schema.GetTypeString(schema.Tag).ToUpperInvariant(),
        };
    }

    sealed class ReferencePairComparer : IEqualityComparer<(Schema, Schema)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((Schema, Schema) x, (Schema, Schema) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Schema, Schema) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Item1), RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
