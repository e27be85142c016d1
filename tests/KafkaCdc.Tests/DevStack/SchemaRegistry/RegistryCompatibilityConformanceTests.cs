using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.SchemaRegistry;
using KafkaCdc.DevStack.SchemaRegistry;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Compatibility levels and checks as the real registry applies them: through Confluent's client, and for the verbose
/// messages (which the client does not expose) through the REST call it would make.
/// </summary>
public class RegistryCompatibilityConformanceTests : SchemaRegistryFixture
{
    async Task<(CachedSchemaRegistryClient Client, string Subject)> SubjectWithCustomerAsync(Compatibility? level = null)
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        if (level is not null) await client.UpdateCompatibilityAsync(level.Value, subject);
        await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        return (client, subject);
    }

    /// <summary><c>POST /compatibility/subjects/{subject}/versions/{version}?verbose=true</c>: whether compatible, and the messages.</summary>
    async Task<(bool IsCompatible, IReadOnlyList<string> Messages)> TestCompatibilityAsync(string subject, string schema, string version)
    {
        using var http = new HttpClient { BaseAddress = RegistryUrl };
        using var content = new StringContent(new JsonObject { ["schema"] = schema }.ToJsonString(), Encoding.UTF8, "application/vnd.schemaregistry.v1+json");
        using var response = await http.PostAsync($"compatibility/subjects/{Uri.EscapeDataString(subject)}/versions/{version}?verbose=true", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        return ((bool)body["is_compatible"]!, [.. (body["messages"]?.AsArray() ?? []).Select(m => (string)m!)]);
    }

    [Test]
    public async Task TestCompatibility_AddOptionalFieldWithDefault_IsCompatible()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Backward);
        
        var result = await TestCompatibilityAsync(subject, FullForm(CustomerWithOptionalEmail), "latest");

        Assert.That(result.IsCompatible, Is.True);
        Assert.That(result.Messages, Is.Empty);
    }

    [Test]
    public async Task TestCompatibility_AddFieldWithoutDefault_IsIncompatibleNamingTheField()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Backward);
        
        var result = await TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), "latest");

        Assert.That(result.IsCompatible, Is.False);
        Assert.That(result.Messages, Has.Some.Contains("READER_FIELD_MISSING_DEFAULT_VALUE").And.Some.Contains("email"));
    }

    [Test]
    public async Task TestCompatibility_ChangeFieldType_IsIncompatible()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Backward);
        
        var result = await TestCompatibilityAsync(subject, FullForm(CustomerWithStringId), "1");

        Assert.That(result.IsCompatible, Is.False);
        Assert.That(result.Messages, Has.Some.Contains("TYPE_MISMATCH"));
    }

    [Test]
    public async Task TestCompatibility_SubjectWithoutVersions_IsCompatible()
    {
        var compatible = await CreateClient().IsCompatibleAsync(UniqueSubject(), Avro(FullForm(Customer)));

        Assert.That(compatible, Is.True);
    }

    [Test]
    public async Task Register_FieldWithoutDefault_Throws409NamingSubjectAndReason()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Backward);
        
        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail))));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.StartWith($"Schema being registered is incompatible with an earlier schema for subject \"{subject}\""));
        Assert.That(error.Message, Does.Contain("email").And.Contain("READER_FIELD_MISSING_DEFAULT_VALUE"));
        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Register_TypeChange_Throws409()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Full);
        
        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithStringId))));

        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.Contain("TYPE_MISMATCH"));
    }

    [Test]
    public async Task Register_ForwardLevel_AcceptsFieldWithoutDefault()
    {
        // Old readers ignore a field they do not know, so adding one is forward compatible even without a default.
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Forward);
        
        var id = await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail)));

        Assert.That(id, Is.Positive);
    }

    const string CustomerWithEmailDefault =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":"string","default":""}]}""";

    [Test]
    public async Task Register_BackwardTransitive_ChecksEveryVersion()
    {
        // Version 3 reads version 2's data (which has an email) but not version 1's (which has none).
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.BackwardTransitive);
                await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithEmailDefault)));

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail))));
        var againstVersion2 = await TestCompatibilityAsync(subject, FullForm(CustomerWithRequiredEmail), "2");

        Assert.That(error.ErrorCode, Is.EqualTo(409));
        Assert.That(error.Message, Does.Contain("{oldSchemaVersion: 1}").And.Not.Contain("{oldSchemaVersion: 2}"));
        Assert.That(againstVersion2.IsCompatible, Is.True);
    }

    [Test]
    public async Task Register_Backward_ChecksTheLatestVersionOnly()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.Backward);
                await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithEmailDefault)));

        await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithRequiredEmail)));

        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Register_LevelNone_AcceptsAnyChange()
    {
        var (client, subject) = await SubjectWithCustomerAsync(Compatibility.None);
        
        await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithStringId)));

        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task SubjectLevel_Set_IsReturned()
    {
        var client = CreateClient();
        var subject = UniqueSubject();

        await client.UpdateCompatibilityAsync(Compatibility.FullTransitive, subject);
        var after = await client.GetCompatibilityAsync(subject);

        Assert.That(after, Is.EqualTo(Compatibility.FullTransitive));
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
