using System.Net;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.Shared.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class SchemaRegistryCompatibilityTests : SchemaRegistryFixture
{
    async Task<(SchemaRegistryClient Client, string Subject)> SubjectWithCustomerAsync(CompatibilityLevel? level = null)
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        if (level is not null) await client.SetCompatibilityLevelAsync(subject, level.Value, CancellationToken.None);
        await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        return (client, subject);
    }

    [Test]
    public async Task TestCompatibility_AddOptionalFieldWithDefault_IsCompatible()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Backward);
        using var _ = client;

        var result = await client.TestCompatibilityAsync(subject, FullForm(CustomerWithOptionalEmail), SchemaVersion.Latest, CancellationToken.None);

        Assert.That(result.IsCompatible, Is.True);
        Assert.That(result.Messages, Is.Empty);
    }

    [Test]
    public async Task TestCompatibility_AddFieldWithoutDefault_IsIncompatibleNamingTheField()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Backward);
        using var _ = client;

        var result = await client.TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), SchemaVersion.Latest, CancellationToken.None);

        Assert.That(result.IsCompatible, Is.False);
        Assert.That(result.Messages, Has.Some.Contains("READER_FIELD_MISSING_DEFAULT_VALUE").And.Some.Contains("email"));
    }

    [Test]
    public async Task TestCompatibility_ChangeFieldType_IsIncompatible()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Backward);
        using var _ = client;

        var result = await client.TestCompatibilityAsync(subject, FullForm(CustomerWithStringId), 1, CancellationToken.None);

        Assert.That(result.IsCompatible, Is.False);
        Assert.That(result.Messages, Has.Some.Contains("TYPE_MISMATCH"));
    }

    [Test]
    public async Task TestCompatibility_SubjectWithoutVersions_IsCompatible()
    {
        using var client = CreateClient();

        var result = await client.TestCompatibilityAsync(UniqueSubject(), FullForm(Customer), SchemaVersion.Latest, CancellationToken.None);

        Assert.That(result.IsCompatible, Is.True);
    }

    [Test]
    public async Task Register_FieldWithoutDefault_Throws409NamingSubjectAndReason()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Backward);
        using var _ = client;

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync(subject, FullForm(CustomerWithRequiredEmail), CancellationToken.None));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.Subject, Is.EqualTo(subject));
        Assert.That(error.RegistryMessage, Does.StartWith($"Schema being registered is incompatible with an earlier schema for subject \"{subject}\""));
        Assert.That(error.Message, Does.Contain(subject).And.Contain("email").And.Contain("READER_FIELD_MISSING_DEFAULT_VALUE"));
        Assert.That(await client.GetVersionsAsync(subject, CancellationToken.None), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Register_TypeChange_Throws409()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Full);
        using var _ = client;

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync(subject, FullForm(CustomerWithStringId), CancellationToken.None));

        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.Contain("TYPE_MISMATCH"));
    }

    [Test]
    public async Task Register_ForwardLevel_AcceptsFieldWithoutDefault()
    {
        // Old readers ignore a field they do not know, so adding one is forward compatible even without a default.
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Forward);
        using var _ = client;

        var id = await client.RegisterSchemaAsync(subject, FullForm(CustomerWithRequiredEmail), CancellationToken.None);

        Assert.That(id, Is.Positive);
    }

    const string CustomerWithEmailDefault =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":"string","default":""}]}""";

    [Test]
    public async Task Register_BackwardTransitive_ChecksEveryVersion()
    {
        // Version 3 reads version 2's data (which has an email) but not version 1's (which has none).
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.BackwardTransitive);
        using var _ = client;
        await client.RegisterSchemaAsync(subject, FullForm(CustomerWithEmailDefault), CancellationToken.None);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync(subject, FullForm(CustomerWithRequiredEmail), CancellationToken.None));
        var againstVersion2 = await client.TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), 2, CancellationToken.None);

        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.Contain("{oldSchemaVersion: 1}").And.Not.Contain("{oldSchemaVersion: 2}"));
        Assert.That(againstVersion2.IsCompatible, Is.True);
    }

    [Test]
    public async Task Register_Backward_ChecksTheLatestVersionOnly()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.Backward);
        using var _ = client;
        await client.RegisterSchemaAsync(subject, FullForm(CustomerWithEmailDefault), CancellationToken.None);

        await client.RegisterSchemaAsync(subject, FullForm(CustomerWithRequiredEmail), CancellationToken.None);

        Assert.That(await client.GetVersionsAsync(subject, CancellationToken.None), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Register_LevelNone_AcceptsAnyChange()
    {
        var (client, subject) = await SubjectWithCustomerAsync(CompatibilityLevel.None);
        using var _ = client;

        await client.RegisterSchemaAsync(subject, FullForm(CustomerWithStringId), CancellationToken.None);

        Assert.That(await client.GetVersionsAsync(subject, CancellationToken.None), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task SubjectLevel_NotSet_IsNull_AndSetOneIsReturned()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();

        var before = await client.GetCompatibilityLevelAsync(subject, CancellationToken.None);
        await client.SetCompatibilityLevelAsync(subject, CompatibilityLevel.FullTransitive, CancellationToken.None);
        var after = await client.GetCompatibilityLevelAsync(subject, CancellationToken.None);

        Assert.That(before, Is.Null);
        Assert.That(after, Is.EqualTo(CompatibilityLevel.FullTransitive));
    }

    [TestCase("NONE", CompatibilityLevel.None)]
    [TestCase("backward_transitive", CompatibilityLevel.BackwardTransitive)]
    [TestCase("FULL_TRANSITIVE", CompatibilityLevel.FullTransitive)]
    [TestCase(" Forward ", CompatibilityLevel.Forward)]
    public void ConfluentLevelName_Parses(string name, CompatibilityLevel expected)
    {
        Assert.That(ConfluentCompatibilityLevel.TryParse(name, out var level), Is.True);
        Assert.That(level, Is.EqualTo(expected));
        Assert.That(ConfluentCompatibilityLevel.Name(level), Is.EqualTo(name.Trim().ToUpperInvariant()));
    }

    [TestCase("SIDEWAYS")]
    [TestCase("")]
    [TestCase(null)]
    public void ConfluentLevelName_Unknown_DoesNotParse(string? name) =>
        Assert.That(ConfluentCompatibilityLevel.TryParse(name, out _), Is.False);
}
