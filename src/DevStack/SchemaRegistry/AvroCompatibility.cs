using Avro;
using Newtonsoft.Json.Linq;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>One reason a reader schema cannot read data of a writer schema, in Avro Java's terms (which Confluent reports).</summary>
/// <param name="ErrorType">Java's <c>SchemaIncompatibilityType</c>: <c>NAME_MISMATCH</c>, <c>FIXED_SIZE_MISMATCH</c>, <c>MISSING_ENUM_SYMBOLS</c>, <c>READER_FIELD_MISSING_DEFAULT_VALUE</c>, <c>TYPE_MISMATCH</c>, <c>MISSING_UNION_BRANCH</c>.</param>
/// <param name="Location">Where in the reader schema, as a JSON pointer-like path (<c>/fields/2/type</c>).</param>
/// <param name="Message">What is wrong.</param>
internal sealed record Incompatibility(string ErrorType, string Location, string Message);

/// <summary>
/// Avro's schema resolution rules as a compatibility check (the Avro specification's "Schema Resolution"; Java's
/// <c>SchemaCompatibility</c>, which Confluent's registry runs), over Apache.Avro's schema model. Apache.Avro's own
/// <see cref="Schema.CanRead"/> answers only yes or no and compares full names where Java compares unqualified ones, so
/// the registry keeps this checker: every reason, located. Logical types do not count, as in Java.
/// </summary>
internal static class AvroCompatibility
{
    /// <summary>Every reason <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<Incompatibility> Check(Schema reader, Schema writer) => new Checker().Check(reader, writer, "");

    sealed class Checker
    {
        static readonly List<Incompatibility> s_compatible = [];

        // Results per (reader, writer) pair; a pair being checked counts as compatible, which ends recursion.
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
            if (reader.Tag == writer.Tag)
            {
                switch (reader)
                {
                    case ArraySchema array:
                        result.AddRange(Check(array.ItemSchema, ((ArraySchema)writer).ItemSchema, location + "/items"));
                        break;
                    case MapSchema map:
                        result.AddRange(Check(map.ValueSchema, ((MapSchema)writer).ValueSchema, location + "/values"));
                        break;
                    case FixedSchema fixedSchema:
                        CheckName(fixedSchema, (NamedSchema)writer, location, result);
                        var writerSize = ((FixedSchema)writer).Size;
                        if (fixedSchema.Size != writerSize)
                            result.Add(new("FIXED_SIZE_MISMATCH", Where(location + "/size"), $"reader fixed size {fixedSchema.Size} differs from writer fixed size {writerSize}"));
                        break;
                    case EnumSchema enumSchema:
                        CheckName(enumSchema, (NamedSchema)writer, location, result);
                        var missing = ((EnumSchema)writer).Symbols.Where(s => !enumSchema.Symbols.Contains(s)).ToList();
                        if (missing.Count > 0 && enumSchema.Default is null)
                            result.Add(new("MISSING_ENUM_SYMBOLS", Where(location + "/symbols"), $"reader enum lacks writer symbols [{string.Join(", ", missing)}] and has no default"));
                        break;
                    case RecordSchema record:
                        CheckName(record, (NamedSchema)writer, location, result);
                        CheckFields(record, (RecordSchema)writer, location, result);
                        break;
                    case UnionSchema:
                        var branches = ((UnionSchema)writer).Schemas;
                        for (var i = 0; i < branches.Count; i++) result.AddRange(Check(reader, branches[i], $"{location}/{i}"));
                        break;
                }
                return result;
            }

            if (writer is UnionSchema writerUnion)
            {
                for (var i = 0; i < writerUnion.Schemas.Count; i++) result.AddRange(Check(reader, writerUnion.Schemas[i], $"{location}/{i}"));
                return result;
            }

            var promotable = (reader.Tag, writer.Tag) switch
            {
                (Schema.Type.Long, Schema.Type.Int) => true,
                (Schema.Type.Float, Schema.Type.Int or Schema.Type.Long) => true,
                (Schema.Type.Double, Schema.Type.Int or Schema.Type.Long or Schema.Type.Float) => true,
                (Schema.Type.Bytes, Schema.Type.String) or (Schema.Type.String, Schema.Type.Bytes) => true,
                _ => false,
            };
            if (promotable) return result;

            if (reader is UnionSchema readerUnion)
            {
                if (!readerUnion.Schemas.Any(branch => Check(branch, writer, location).Count == 0))
                    result.Add(new("MISSING_UNION_BRANCH", Where(location), $"reader union has no branch that can read writer type {TypeName(writer)}"));
                return result;
            }

            result.Add(new("TYPE_MISMATCH", Where(location), $"reader type {TypeName(reader)} cannot read writer type {TypeName(writer)}"));
            return result;
        }

        void CheckFields(RecordSchema reader, RecordSchema writer, string location, List<Incompatibility> result)
        {
            foreach (var readerField in reader.Fields)
            {
                var writerField = WriterFieldFor(writer, readerField);
                var fieldLocation = $"{location}/fields/{readerField.Pos}";
                if (writerField is null)
                {
                    if (readerField.DefaultValue is null)
                        result.Add(new("READER_FIELD_MISSING_DEFAULT_VALUE", Where(fieldLocation), $"reader field '{readerField.Name}' has no default and is missing in the writer"));
                }
                else
                {
                    result.AddRange(Check(readerField.Schema, writerField.Schema, fieldLocation + "/type"));
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
            // Like Java (and so Confluent), unqualified names compare: a namespace change alone is compatible.
            if (reader.Name != writer.Name && !AliasesOf(reader).Contains(writer.Fullname))
                result.Add(new("NAME_MISMATCH", Where(location + "/name"),
                    $"reader name '{reader.Fullname}' does not match writer name '{writer.Fullname}' (unqualified names differ and no reader alias names the writer)"));
        }

        /// <summary>A named schema's aliases, fully qualified (Apache.Avro keeps them private; its JSON has them).</summary>
        static IReadOnlyList<string> AliasesOf(NamedSchema schema)
        {
            if (JToken.Parse(schema.ToString())["aliases"] is not JArray aliases) return [];
            return [.. aliases.Select(a => (string)a!).Select(a => a.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(schema.Namespace) ? a : $"{schema.Namespace}.{a}")];
        }

        static string Where(string location) => location.Length == 0 ? "/" : location;

        static string TypeName(Schema schema) => schema switch
        {
            NamedSchema named => $"{Schema.GetTypeString(named.Tag)} '{named.Fullname}'",
            _ => $"'{Schema.GetTypeString(schema.Tag)}'",
        };
    }

    sealed class ReferencePairComparer : IEqualityComparer<(Schema, Schema)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((Schema, Schema) x, (Schema, Schema) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Schema, Schema) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
