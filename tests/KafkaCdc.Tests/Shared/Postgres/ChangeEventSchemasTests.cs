using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class ChangeEventSchemasTests
{
    private static IEnumerable<TestCaseData> FixedShapes()
    {
        yield return new TestCaseData("source.avsc", ChangeEventSchemas.Source).SetArgDisplayNames("source.avsc");
        yield return new TestCaseData("transaction-block.avsc", ChangeEventSchemas.TransactionBlock).SetArgDisplayNames("transaction-block.avsc");
        yield return new TestCaseData("variable-scale-decimal.avsc", ChangeEventSchemas.VariableScaleDecimal).SetArgDisplayNames("variable-scale-decimal.avsc");
        yield return new TestCaseData("heartbeat-key.avsc", ChangeEventSchemas.HeartbeatKey).SetArgDisplayNames("heartbeat-key.avsc");
        yield return new TestCaseData("heartbeat-value.avsc", ChangeEventSchemas.HeartbeatValue).SetArgDisplayNames("heartbeat-value.avsc");
    }

    [TestCaseSource(nameof(FixedShapes))]
    public void FixedShape_BuiltInCode_EqualsContractFile(string file, RecordSchema built)
    {
        var parsed = Schema.Parse(File.ReadAllText(Path.Combine(SchemasDirectory(), file)));
        Assert.That(built.ToString(), Is.EqualTo(parsed.ToString()));
    }

    [Test]
    public void Envelope_Fields_FollowTheContractOrder()
    {
        var value = AvroSchemas.Record("Value", "kafkacdc.db.public.t", [AvroSchemas.FieldDefinition.Optional("id", AvroSchemas.Int)]);

        var envelope = ChangeEventSchemas.Envelope(value);

        Assert.That(envelope.Fullname, Is.EqualTo("kafkacdc.db.public.t.Envelope"));
        Assert.That(envelope.Fields.Select(f => f.Name), Is.EqualTo(new[] { "before", "after", "source", "op", "ts_ms", "ts_us", "transaction" }));
        Assert.That(envelope["before"].Schema.ToString(), Does.StartWith("[\"null\",{\"type\":\"record\",\"name\":\"Value\""));
        Assert.That(envelope.ToString(), Does.Contain("{\"name\":\"after\",\"default\":null,\"type\":[\"null\",\"Value\"]}"));
        Assert.That(envelope.Fields.Where(f => f.Schema is UnionSchema).All(f => f.DefaultValue is { Type: Newtonsoft.Json.Linq.JTokenType.Null }), Is.True);
        Assert.That(envelope["source"].Schema, Is.SameAs(ChangeEventSchemas.Source));
    }

    /// <summary>The repository's <c>schemas</c> folder, found upwards from the test binaries.</summary>
    internal static string SchemasDirectory()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "schemas");
            if (File.Exists(Path.Combine(candidate, "source.avsc")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no schemas/source.avsc above {TestContext.CurrentContext.TestDirectory}");
    }
}
