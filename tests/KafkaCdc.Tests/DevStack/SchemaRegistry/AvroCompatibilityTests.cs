using System.Text.Json.Nodes;
using Avro;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.Tests.Shared.AvroFormat;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// The dev registry's compatibility checker (no server): Java's verdicts, locations and messages on every rule, agreement
/// with Python's Avro, and the pairs on which Apache.Avro's <see cref="Schema.CanRead"/> would have answered otherwise.
/// </summary>
public class AvroCompatibilityTests
{
    static IEnumerable<TestCaseData> Rules() => CompatibilityRules.All.Select(r => new TestCaseData(r).SetName($"Check_{r.Name}"));

    static IEnumerable<TestCaseData> CanReadDifferences() =>
        CompatibilityRules.All.Where(r => r.CanReadDiffers).Select(r => new TestCaseData(r).SetName($"CanRead_{r.Name}_GivesTheOtherVerdict"));

    [TestCaseSource(nameof(Rules))]
    public void Check(CompatibilityRule rule)
    {
        var result = AvroCompatibility.Check(Schema.Parse(rule.Reader), Schema.Parse(rule.Writer));

        if (rule.Compatible)
            Assert.That(result, Is.Empty);
        else
            Assert.That(result, Has.Some.EqualTo(new Incompatibility(rule.ErrorType!, rule.Location!, rule.Message!)));
    }

    [TestCaseSource(nameof(CanReadDifferences))]
    public void CanRead(CompatibilityRule rule)
    {
        // Why the registry has its own checker: Apache.Avro's resolution check is not Java's (see AvroCompatibility's remarks).
        var canRead = Schema.Parse(rule.Reader).CanRead(Schema.Parse(rule.Writer));

        Assert.That(canRead, Is.EqualTo(!rule.Compatible));
        Assert.That(AvroCompatibility.Check(Schema.Parse(rule.Reader), Schema.Parse(rule.Writer)), rule.Compatible ? Is.Empty : Is.Not.Empty);
    }

    [Test]
    public void CanRead_AgreesOnEveryOtherRule()
    {
        var others = CompatibilityRules.All.Where(r => !r.CanReadDiffers);

        Assert.Multiple(() =>
        {
            foreach (var rule in others)
                Assert.That(Schema.Parse(rule.Reader).CanRead(Schema.Parse(rule.Writer)), Is.EqualTo(rule.Compatible), rule.Name);
        });
    }

    [Test]
    public void Check_EveryRule_GivesTheSameVerdictAsPythonAvro()
    {
        var rules = CompatibilityRules.All;
        var request = new JsonObject
        {
            ["command"] = "compatibility",
            ["pairs"] = new JsonArray([.. rules.Select(r => (JsonNode)new JsonObject { ["reader"] = r.Reader, ["writer"] = r.Writer })]),
        };

        var results = PythonAvro.Run(request)["results"]!.AsArray();

        Assert.Multiple(() =>
        {
            for (var i = 0; i < rules.Count; i++)
                Assert.That(results[i]!["compatible"]!.GetValue<bool>(), Is.EqualTo(rules[i].Compatible), $"{rules[i].Name}: python says {results[i]!.ToJsonString()}");
        });
    }

    [Test]
    public void Check_SeveralProblems_ReportsEachWithItsLocation()
    {
        var reader = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"},{"name":"c","type":{"type":"enum","name":"E","symbols":["X"]}}]}""");
        var writer = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"c","type":{"type":"enum","name":"E","symbols":["X","Y"]}}]}""");

        var result = AvroCompatibility.Check(reader, writer);

        Assert.That(result, Is.EqualTo(new[]
        {
            new Incompatibility("TYPE_MISMATCH", "/fields/0/type", "reader type: INT not compatible with writer type: LONG"),
            new Incompatibility("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/1", "b"),
            new Incompatibility("MISSING_ENUM_SYMBOLS", "/fields/2/type/symbols", "[Y]"),
        }));
    }

    [Test]
    public void Check_WriterUnionBranchWithLogicalType_NamesItsBaseTypeLikeJava()
    {
        var reader = Schema.Parse("""["null","string"]""");
        var writer = Schema.Parse("""["null",{"type":"long","logicalType":"timestamp-micros"}]""");

        Assert.That(AvroCompatibility.Check(reader, writer),
            Is.EqualTo(new[] { new Incompatibility("MISSING_UNION_BRANCH", "/1", "reader union lacking writer type: LONG") }));
    }

    [Test]
    public void Check_RecordNamedByReaderAlias_IsCompatibleAcrossNamespaces()
    {
        var reader = Schema.Parse("""{"type":"record","name":"S","namespace":"new","aliases":["old.R"],"fields":[]}""");
        var writer = Schema.Parse("""{"type":"record","name":"R","namespace":"old","fields":[]}""");

        Assert.That(AvroCompatibility.Check(reader, writer), Is.Empty);
    }
}
