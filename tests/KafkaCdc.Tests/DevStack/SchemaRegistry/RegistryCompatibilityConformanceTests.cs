using System.Net;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Compatibility levels and checks as the real registry applies them (Confluent 7.5–7.9): through Confluent's client,
/// and for the verbose messages (which the client does not expose) through the REST call it would make.
/// </summary>
public class RegistryCompatibilityConformanceTests : SchemaRegistryFixture
{
    const string CustomerWithEmailDefault =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":"string","default":""}]}""";

    async Task<(CachedSchemaRegistryClient Client, string Subject)> SubjectWithAsync(Compatibility level, params string[] versions)
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        await client.UpdateCompatibilityAsync(level, subject);
        foreach (var version in versions) await client.RegisterSchemaAsync(subject, Avro(FullForm(version)));
        return (client, subject);
    }

    [Test]
    public async Task TestCompatibility_AddOptionalFieldWithDefault_IsCompatible()
    {
        var (_, subject) = await SubjectWithAsync(Compatibility.Backward, Customer);

        var result = await TestCompatibilityAsync(subject, FullForm(CustomerWithOptionalEmail), "latest");

        Assert.That(result.IsCompatible, Is.True);
        Assert.That(result.Messages, Is.Empty);
    }

    [Test]
    public async Task TestCompatibility_AddFieldWithoutDefault_IsIncompatibleInConfluentsWords()
    {
        var (_, subject) = await SubjectWithAsync(Compatibility.Backward, Customer);

        var result = await TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), "latest");

        Assert.That(result.IsCompatible, Is.False);
        Assert.That(result.Messages, Is.EqualTo(new[]
        {
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'email' at path '/fields/2' in the new schema has no default value and is missing in the old schema', additionalInfo:'email'}",
            "{oldSchemaVersion: 1}",
            result.Messages[2],
            "{validateFields: 'false', compatibility: 'BACKWARD'}",
        }));
        Assert.That(result.Messages[2], Does.StartWith("{oldSchema: '{").And.Contain("\"Customer\""));
    }

    [Test]
    public async Task TestCompatibility_FullLevelTypeChange_ListsForwardProblemsFirst()
    {
        var (_, subject) = await SubjectWithAsync(Compatibility.Full, Customer);

        var result = await TestCompatibilityAsync(subject, FullForm(CustomerWithStringId), "1");

        Assert.That(result.IsCompatible, Is.False);
        Assert.That(result.Messages.Take(3), Is.EqualTo(new[]
        {
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: LONG not compatible with writer type: STRING'}",
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: STRING not compatible with writer type: LONG'}",
            "{oldSchemaVersion: 1}",
        }));
        Assert.That(result.Messages[^1], Is.EqualTo("{validateFields: 'false', compatibility: 'FULL'}"));
    }

    [Test]
    public async Task TestCompatibility_SubjectWithoutVersions_IsCompatible()
    {
        var compatible = await CreateClient().IsCompatibleAsync(UniqueSubject(), Avro(FullForm(Customer)));

        Assert.That(compatible, Is.True);
    }

    [Test]
    public async Task TestCompatibility_UnknownSubjectAtANumberedVersion_Answers40402()
    {
        // Confluent looks the version up without checking the subject first.
        var answer = await SendAsync(HttpMethod.Post, $"compatibility/subjects/{UniqueSubject()}/versions/1", SchemaBody(FullForm(Customer)));

        AssertError(answer, HttpStatusCode.NotFound, 40402, "Version 1 not found.");
    }

    [Test]
    public async Task TestCompatibility_LatestAtTransitiveLevel_ChecksTheLatestVersionOnly_WithoutVersionEveryVersion()
    {
        var (client, subject) = await SubjectWithAsync(Compatibility.BackwardTransitive, Customer, CustomerWithEmailDefault);

        var latest = await client.IsCompatibleAsync(subject, Avro(FullForm(CustomerWithRequiredEmail)));
        var all = await TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), version: null);

        Assert.That(latest, Is.True);
        Assert.That(all.IsCompatible, Is.False);
        Assert.That(all.Messages, Does.Contain("{oldSchemaVersion: 1}"));
    }

    [Test]
    public async Task TestCompatibility_InvalidSchemaWithVerbose_IsIncompatibleWithTheReason_WithoutVerbose42201()
    {
        var (_, subject) = await SubjectWithAsync(Compatibility.Backward, Customer);
        const string invalid = """{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}""";

        var verbose = await TestCompatibilityAsync(subject, invalid, "latest");
        var plain = await SendAsync(HttpMethod.Post, $"compatibility/subjects/{subject}/versions/latest", SchemaBody(invalid));

        Assert.That(verbose.IsCompatible, Is.False);
        Assert.That(verbose.Messages, Has.Exactly(1).Contains("nope"));
        AssertError(plain, HttpStatusCode.UnprocessableEntity, 42201);
    }

    static IEnumerable<TestCaseData> Rules() =>
        CompatibilityRules.All.Select(r => new TestCaseData(r).SetName($"TestCompatibility_Backward_{r.Name}"));

    [TestCaseSource(nameof(Rules))]
    public async Task TestCompatibility_Rule(CompatibilityRule rule)
    {
        // Avro's resolution rules as the registry applies them: the writer registered, the reader tested against it.
        var (_, subject) = await SubjectWithAsync(Compatibility.Backward, rule.Writer);

        var result = await TestCompatibilityAsync(subject, rule.Reader, "latest");

        Assert.That(result.IsCompatible, Is.EqualTo(rule.Compatible), string.Join(Environment.NewLine, result.Messages));
        if (!rule.Compatible)
        {
            Assert.That(result.Messages, Has.Some.Contains($"errorType:'{rule.ErrorType}'")
                .And.Contains($"path '{rule.Location}'").And.Contains($"additionalInfo:'{rule.Message}'"));
        }
    }

    [Test]
    public async Task Register_FieldWithoutDefault_Throws409PermanentNamingSubjectAndReason()
    {
        var (client, subject) = await SubjectWithAsync(Compatibility.Backward, Customer);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail))));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.StartWith($"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: ["));
        Assert.That(error.Message, Does.Contain("'email'").And.Contain("READER_FIELD_MISSING_DEFAULT_VALUE").And.Contain("compatibility: 'BACKWARD'"));
        Assert.That(RegistryFailures.IsTransient(error), Is.False);
        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Register_TypeChangeAtFull_Throws409()
    {
        var (client, subject) = await SubjectWithAsync(Compatibility.Full, Customer);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithStringId))));

        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.Contain("TYPE_MISMATCH"));
    }

    [Test]
    public async Task Register_ForwardLevel_AcceptsFieldWithoutDefault()
    {
        // Old readers ignore a field they do not know, so adding one is forward compatible even without a default.
        var (client, subject) = await SubjectWithAsync(Compatibility.Forward, Customer);

        var id = await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail)));

        Assert.That(id, Is.Positive);
    }

    [Test]
    public async Task Register_BackwardTransitive_ChecksEveryVersionAndNamesTheOneAtFault()
    {
        // Version 3 reads version 2's data (which has an email) but not version 1's (which has none).
        var (client, subject) = await SubjectWithAsync(Compatibility.BackwardTransitive, Customer, CustomerWithEmailDefault);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail))));
        var againstVersion2 = await TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), "2");

        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.Contain("{oldSchemaVersion: 1}").And.Not.Contain("{oldSchemaVersion: 2}"));
        Assert.That(againstVersion2.IsCompatible, Is.True);
    }

    [Test]
    public async Task Register_Backward_ChecksTheLatestVersionOnly()
    {
        var (client, subject) = await SubjectWithAsync(Compatibility.Backward, Customer, CustomerWithEmailDefault);

        await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail)));

        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Register_LevelNone_AcceptsAnyChange()
    {
        var (client, subject) = await SubjectWithAsync(Compatibility.None, Customer);

        await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithStringId)));

        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1, 2 }));
    }

    const string V1 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"c","type":"string"}]}""";
    const string V2 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
    const string V3 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}""";

    [TestCase(Compatibility.Backward, true)]
    [TestCase(Compatibility.BackwardTransitive, true)]
    [TestCase(Compatibility.Forward, true)]
    [TestCase(Compatibility.ForwardTransitive, false)]
    [TestCase(Compatibility.Full, true)]
    [TestCase(Compatibility.FullTransitive, false)]
    [TestCase(Compatibility.None, true)]
    public async Task Register_AtLevel_LooksAtTheLatestOrEveryVersion(Compatibility level, bool accepted)
    {
        // V1 needs 'c', which V3 lacks and V1 has no default for: only V1 reading V3's data fails.
        var (client, subject) = await SubjectWithAsync(Compatibility.None, V1, V2);
        await client.UpdateCompatibilityAsync(level, subject);

        var register = () => client.RegisterSchemaAsync(subject, Avro(FullForm(V3)));

        if (accepted) Assert.That(await register(), Is.Positive);
        else Assert.That(Assert.ThrowsAsync<SchemaRegistryException>(() => register())!.ErrorCode, Is.EqualTo(409));
    }

    [Test]
    public async Task SubjectLevel_NotSet_Throws40408_AndSetOneIsReturned()
    {
        var client = CreateClient();
        var subject = UniqueSubject();

        var before = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetCompatibilityAsync(subject));
        await client.UpdateCompatibilityAsync(Compatibility.FullTransitive, subject);
        var after = await client.GetCompatibilityAsync(subject);

        Assert.That(before.ErrorCode, Is.EqualTo(40408));
        Assert.That(after, Is.EqualTo(Compatibility.FullTransitive));
    }
}
