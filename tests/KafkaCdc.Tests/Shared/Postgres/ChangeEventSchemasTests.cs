using KafkaCdc.Shared.Avro;
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
        var parsed = AvroSchema.Parse(File.ReadAllText(Path.Combine(SchemasDirectory(), file)));
        Assert.That(built.ToJson(), Is.EqualTo(parsed.ToJson()));
    }

    [Test]
    public void Envelope_Fields_FollowTheContractOrder()
    {
        var value = new RecordSchema("Value", "kafkacdc.db.public.t", [new AvroField("id", AvroSchema.Nullable(AvroSchema.Int)).WithDefault(null)]);

        var envelope = ChangeEventSchemas.Envelope(value);

        Assert.That(envelope.FullName, Is.EqualTo("kafkacdc.db.public.t.Envelope"));
        Assert.That(envelope.Fields.Select(f => f.Name), Is.EqualTo(new[] { "before", "after", "source", "op", "ts_ms", "ts_us", "transaction" }));
        Assert.That(envelope.GetField("before").Schema.ToJson(), Does.StartWith("[\"null\",{\"type\":\"record\",\"name\":\"Value\""));
        Assert.That(envelope.ToJson(), Does.Contain("{\"name\":\"after\",\"type\":[\"null\",\"Value\"],\"default\":null}"));
        Assert.That(envelope.Fields.Where(f => f.Schema is UnionSchema).All(f => f.HasDefault && f.Default is null), Is.True);
        Assert.That(envelope.GetField("source").Schema, Is.SameAs(ChangeEventSchemas.Source));
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
