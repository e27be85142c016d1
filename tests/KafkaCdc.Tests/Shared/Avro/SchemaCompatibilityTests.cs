using System.Text.Json.Nodes;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class SchemaCompatibilityTests
{
    private static TestCaseData Row(string rule, string reader, string writer, string? incompatibility) =>
        new TestCaseData(reader, writer, incompatibility).SetName($"Check_{rule}");

    private static IEnumerable<TestCaseData> Table()
    {
        const string Rec = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
        yield return Row("SamePrimitive_Compatible", "\"string\"", "\"string\"", null);
        yield return Row("IntToLong_Compatible", "\"long\"", "\"int\"", null);
        yield return Row("IntToFloat_Compatible", "\"float\"", "\"int\"", null);
        yield return Row("IntToDouble_Compatible", "\"double\"", "\"int\"", null);
        yield return Row("LongToFloat_Compatible", "\"float\"", "\"long\"", null);
        yield return Row("LongToDouble_Compatible", "\"double\"", "\"long\"", null);
        yield return Row("FloatToDouble_Compatible", "\"double\"", "\"float\"", null);
        yield return Row("StringToBytes_Compatible", "\"bytes\"", "\"string\"", null);
        yield return Row("BytesToString_Compatible", "\"string\"", "\"bytes\"", null);
        yield return Row("LongToInt_Incompatible", "\"int\"", "\"long\"", "/: reader type 'int' cannot read writer type 'long'");
        yield return Row("DoubleToFloat_Incompatible", "\"float\"", "\"double\"", "/: reader type 'float' cannot read writer type 'double'");
        yield return Row("IntToString_Incompatible", "\"string\"", "\"int\"", "/: reader type 'string' cannot read writer type 'int'");
        yield return Row("NullToInt_Incompatible", "\"null\"", "\"int\"", "/: reader type 'null' cannot read writer type 'int'");
        yield return Row("FieldPromoted_Compatible",
            """{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""", Rec, null);
        yield return Row("FieldNarrowed_IncompatibleAtFieldType",
            Rec, """{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""", "/fields/0/type: reader type 'int' cannot read writer type 'long'");
        yield return Row("FieldAddedWithDefault_Compatible",
            """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null}]}""", Rec, null);
        yield return Row("FieldAddedWithoutDefault_Incompatible",
            """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""", Rec,
            "/fields/1: reader field 'b' has no default and is missing in the writer");
        yield return Row("FieldRemoved_Compatible", """{"type":"record","name":"R","fields":[]}""", Rec, null);
        yield return Row("FieldRenamedWithAlias_Compatible",
            """{"type":"record","name":"R","fields":[{"name":"z","type":"int","aliases":["a"]}]}""", Rec, null);
        yield return Row("RecordRenamed_Incompatible",
            """{"type":"record","name":"S","fields":[{"name":"a","type":"int"}]}""", Rec, "/name: reader name 'S' does not match writer name 'R'");
        yield return Row("RecordRenamedWithAlias_Compatible",
            """{"type":"record","name":"S","aliases":["R"],"fields":[{"name":"a","type":"int"}]}""", Rec, null);
        yield return Row("RecordNamespaceChanged_CompatibleByUnqualifiedName",
            """{"type":"record","name":"R","namespace":"other","fields":[{"name":"a","type":"int"}]}""", Rec, null);
        yield return Row("EnumSymbolAdded_Compatible",
            """{"type":"enum","name":"E","symbols":["A","B","C"]}""", """{"type":"enum","name":"E","symbols":["A","B"]}""", null);
        yield return Row("EnumSymbolRemoved_Incompatible",
            """{"type":"enum","name":"E","symbols":["A"]}""", """{"type":"enum","name":"E","symbols":["A","B","C"]}""",
            "/symbols: reader enum lacks writer symbols [B, C] and has no default");
        yield return Row("EnumSymbolRemovedWithReaderDefault_Compatible",
            """{"type":"enum","name":"E","symbols":["A","U"],"default":"U"}""", """{"type":"enum","name":"E","symbols":["A","B"]}""", null);
        yield return Row("EnumRenamed_Incompatible",
            """{"type":"enum","name":"F","symbols":["A"]}""", """{"type":"enum","name":"E","symbols":["A"]}""", "/name: reader name 'F' does not match writer name 'E'");
        yield return Row("FixedSameSize_Compatible", """{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":4}""", null);
        yield return Row("FixedSizeChanged_Incompatible",
            """{"type":"fixed","name":"F","size":8}""", """{"type":"fixed","name":"F","size":4}""", "/size: reader fixed size 8 differs from writer fixed size 4");
        yield return Row("FixedRenamed_Incompatible",
            """{"type":"fixed","name":"G","size":4}""", """{"type":"fixed","name":"F","size":4}""", "/name: reader name 'G' does not match writer name 'F'");
        yield return Row("ArrayItemsPromoted_Compatible",
            """{"type":"array","items":"long"}""", """{"type":"array","items":"int"}""", null);
        yield return Row("ArrayItemsNarrowed_IncompatibleAtItems",
            """{"type":"array","items":"int"}""", """{"type":"array","items":"long"}""", "/items: reader type 'int' cannot read writer type 'long'");
        yield return Row("MapValuesNarrowed_IncompatibleAtValues",
            """{"type":"map","values":"int"}""", """{"type":"map","values":"string"}""", "/values: reader type 'int' cannot read writer type 'string'");
        yield return Row("ArrayVersusMap_Incompatible",
            """{"type":"array","items":"int"}""", """{"type":"map","values":"int"}""", "/: reader type 'array' cannot read writer type 'map'");
        yield return Row("ValueIntoNullableUnion_Compatible", """["null","string"]""", "\"string\"", null);
        yield return Row("ValueIntoUnionByPromotion_Compatible", """["null","long"]""", "\"int\"", null);
        yield return Row("ValueMissingFromReaderUnion_Incompatible",
            """["null","string"]""", "\"long\"", "/: reader union has no branch that can read writer type 'long'");
        yield return Row("UnionIntoWiderUnion_Compatible", """["null","int","string"]""", """["null","int"]""", null);
        yield return Row("UnionBranchDropped_IncompatibleAtBranch",
            """["null","int"]""", """["null","int","string"]""", "/2: reader union has no branch that can read writer type 'string'");
        yield return Row("UnionIntoNonUnion_IncompatibleAtNullBranch",
            "\"string\"", """["null","string"]""", "/0: reader type 'string' cannot read writer type 'null'");
        yield return Row("SingleBranchUnionIntoValue_Compatible", "\"string\"", """["string"]""", null);
        yield return Row("RecursiveRecords_Compatible",
            """{"type":"record","name":"N","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","N"]}]}""",
            """{"type":"record","name":"N","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","N"]}]}""", null);
        yield return Row("LogicalTypeChanges_AreIgnoredLikeJava",
            """{"type":"long","logicalType":"timestamp-millis"}""", """{"type":"long","logicalType":"timestamp-micros"}""", null);
    }

    [TestCaseSource(nameof(Table))]
    public void Check(string reader, string writer, string? incompatibility)
    {
        var result = AvroSchemaCompatibility.Check(AvroSchema.Parse(reader), AvroSchema.Parse(writer));

        if (incompatibility is null)
        {
            Assert.That(result.IsCompatible, Is.True, result.ToString());
            Assert.That(result.Incompatibilities, Is.Empty);
        }
        else
        {
            Assert.That(result.IsCompatible, Is.False);
            Assert.That(result.Incompatibilities.Select(i => i.ToString()), Has.Some.StartsWith(incompatibility));
        }
    }

    [Test]
    public void Check_EveryTableRow_GivesTheSameVerdictAsPythonAvro()
    {
        var rows = Table().Select(r => (Reader: (string)r.Arguments[0]!, Writer: (string)r.Arguments[1]!, Name: r.TestName!)).ToList();
        var request = new JsonObject
        {
            ["command"] = "compatibility",
            ["pairs"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject { ["reader"] = r.Reader, ["writer"] = r.Writer })]),
        };

        var results = PythonAvro.Run(request)["results"]!.AsArray();

        Assert.Multiple(() =>
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var ours = AvroSchemaCompatibility.Check(AvroSchema.Parse(rows[i].Reader), AvroSchema.Parse(rows[i].Writer));
                Assert.That(ours.IsCompatible, Is.EqualTo(results[i]!["compatible"]!.GetValue<bool>()),
                    $"{rows[i].Name}: python says {results[i]!.ToJsonString()}");
            }
        });
    }

    [Test]
    public void Check_SeveralProblems_ReportsEachWithItsLocation()
    {
        var reader = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"},{"name":"c","type":{"type":"enum","name":"E","symbols":["X"]}}]}""");
        var writer = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"c","type":{"type":"enum","name":"E","symbols":["X","Y"]}}]}""");

        var result = AvroSchemaCompatibility.Check(reader, writer);

        Assert.That(result.Incompatibilities.Select(i => (i.Kind, i.Location)), Is.EqualTo(new[]
        {
            (SchemaIncompatibilityKind.TypeMismatch, "/fields/0/type"),
            (SchemaIncompatibilityKind.ReaderFieldMissingDefaultValue, "/fields/1"),
            (SchemaIncompatibilityKind.MissingEnumSymbols, "/fields/2/type/symbols"),
        }));
    }

    private static readonly AvroSchema V1 = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"c","type":"string"}]}""");
    private static readonly AvroSchema V2 = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
    private static readonly AvroSchema V3 = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}""");

    [TestCase(CompatibilityLevel.Backward, true)]
    [TestCase(CompatibilityLevel.BackwardTransitive, true)]
    [TestCase(CompatibilityLevel.Forward, true)]
    [TestCase(CompatibilityLevel.ForwardTransitive, false)]
    [TestCase(CompatibilityLevel.Full, true)]
    [TestCase(CompatibilityLevel.FullTransitive, false)]
    [TestCase(CompatibilityLevel.None, true)]
    public void Check_ConfluentLevel_LooksAtLatestOrAllVersions(CompatibilityLevel level, bool compatible)
    {
        // V1 needs 'c', which V3 lacks and V1 has no default for: only V1 reading V3's data fails.
        var result = AvroSchemaCompatibility.Check(level, V3, [V1, V2]);

        Assert.That(result.IsCompatible, Is.EqualTo(compatible), result.ToString());
    }
}
