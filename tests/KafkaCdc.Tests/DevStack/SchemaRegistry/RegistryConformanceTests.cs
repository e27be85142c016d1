using System.Net;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Registering and reading schemas through Confluent's client: what the connectors and other consumers rely on. Schema
/// texts are compared parsed: the real registry answers Java's print of a schema, the dev registry Apache.Avro's.
/// </summary>
public class RegistryConformanceTests : SchemaRegistryFixture
{
    [Test]
    public async Task Register_NewSubject_ReturnsIdAndVersion1()
    {
        var client = CreateClient();
        var subject = UniqueSubject();

        var id = await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        var latest = await client.GetLatestSchemaAsync(subject);

        Assert.That(id, Is.Positive);
        Assert.That((latest.Subject, latest.Id, latest.Version), Is.EqualTo((subject, id, 1)));
        Assert.That(FullForm(latest.SchemaString), Is.EqualTo(FullForm(Customer)));
    }

    [Test]
    public async Task Register_SameSchemaTwice_ReturnsSameIdAndAddsNoVersion()
    {
        var subject = UniqueSubject();
        var first = CreateClient();
        var second = CreateClient(); // a fresh cache, so the registry itself must deduplicate

        var id = await first.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        var again = await second.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));

        Assert.That(again, Is.EqualTo(id));
        Assert.That(await first.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Register_SameSchemaWrittenDifferently_ReturnsSameIdAndAddsNoVersion()
    {
        // Identity is the parsed schema's print: whitespace and the order of JSON members do not count.
        const string reordered = """
            { "fields": [ { "type": "long", "name": "id" }, { "type": "string", "name": "name" } ],
              "namespace": "shop", "name": "Customer", "type": "record" }
            """;
        var subject = UniqueSubject();

        var id = await CreateClient().RegisterSchemaAsync(subject, Avro(Customer));
        var again = await CreateClient().RegisterSchemaAsync(subject, Avro(reordered));

        Assert.That(again, Is.EqualTo(id));
        Assert.That(await CreateClient().GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Register_IdenticalSchemaUnderTwoSubjects_ReturnsSameId()
    {
        var client = CreateClient();

        var first = await client.RegisterSchemaAsync(UniqueSubject("key"), Avro(FullForm(Customer)));
        var second = await client.RegisterSchemaAsync(UniqueSubject("value"), Avro(FullForm(Customer)));

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task Register_SchemaDifferingOnlyInCustomProperty_AddsVersionWithNewId()
    {
        var client = CreateClient();
        var subject = UniqueSubject();

        var plain = await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        var annotated = await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithCustomProperty)));
        var latest = await client.GetLatestSchemaAsync(subject);

        Assert.That(annotated, Is.Not.EqualTo(plain));
        Assert.That(latest.Version, Is.EqualTo(2));
        Assert.That(latest.SchemaString, Does.Contain("\"kafkacdc.pg.type\":\"int8\""));
    }

    [Test]
    public async Task Register_SchemaDifferingOnlyInDoc_AddsVersionWithNewId()
    {
        // The Parsing Canonical Form would make these one schema; Confluent keeps docs in a schema's identity.
        var client = CreateClient();
        var subject = UniqueSubject();

        var plain = await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        var documented = await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithDoc)));

        Assert.That(documented, Is.Not.EqualTo(plain));
        Assert.That(await client.GetSubjectVersionsAsync(subject), Is.EqualTo(new[] { 1, 2 }));
    }

    [TestCase("\"string\"", "\"string\"")]
    [TestCase("""{"type":"long"}""", "\"long\"")]
    [TestCase("""{"type":"long","connect.name":"x"}""", """{"type":"long","connect.name":"x"}""")]
    public async Task Register_BarePrimitive_IsAnsweredInJavasForm(string registered, string answered)
    {
        var id = await CreateClient().RegisterSchemaAsync(UniqueSubject(), Avro(registered));

        var schema = await CreateClient().GetSchemaAsync(id);

        Assert.That(schema.SchemaString, Is.EqualTo(answered));
    }

    [Test]
    public void Register_InvalidSchema_Throws42201PermanentWithParserMessage()
    {
        var client = CreateClient();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync(UniqueSubject(), Avro("""{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}""")));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(error.ErrorCode, Is.EqualTo(42201));
        Assert.That(error.Message, Does.Contain("Invalid schema").And.Contain("nope"));
        Assert.That(RegistryFailures.IsTransient(error), Is.False);
    }

    [Test]
    public async Task Lookup_RegisteredSchema_ReturnsSubjectIdAndVersion()
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        var id = await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithOptionalEmail)));

        var found = await CreateClient().LookupSchemaAsync(subject, Avro(FullForm(CustomerWithOptionalEmail)), ignoreDeletedSchemas: true);

        Assert.That((found.Subject, found.Id, found.Version), Is.EqualTo((subject, id, 2)));
        Assert.That(FullForm(found.SchemaString), Is.EqualTo(FullForm(CustomerWithOptionalEmail)));
    }

    [Test]
    public async Task Lookup_SchemaNotInSubject_Throws40403()
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.LookupSchemaAsync(subject, Avro(FullForm(CustomerWithOptionalEmail)), ignoreDeletedSchemas: true));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(error.ErrorCode, Is.EqualTo(40403));
    }

    [Test]
    public void Lookup_UnknownSubject_Throws40401NamingTheSubject()
    {
        var subject = UniqueSubject();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => CreateClient().LookupSchemaAsync(subject, Avro(FullForm(Customer)), ignoreDeletedSchemas: true));

        Assert.That(error.ErrorCode, Is.EqualTo(40401));
        Assert.That(error.Message, Does.Contain(subject));
    }

    [Test]
    public async Task GetSchema_RegisteredId_ReturnsTheSchema()
    {
        var id = await CreateClient().RegisterSchemaAsync(UniqueSubject(), Avro(FullForm(CustomerWithCustomProperty)));

        var schema = await CreateClient().GetSchemaAsync(id);

        Assert.That(FullForm(schema.SchemaString), Is.EqualTo(FullForm(CustomerWithCustomProperty)));
        Assert.That(schema.SchemaType, Is.EqualTo(SchemaType.Avro));
    }

    [Test]
    public void GetSchema_UnknownId_Throws40403NamingTheId()
    {
        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => CreateClient().GetSchemaAsync(987654321));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(error.ErrorCode, Is.EqualTo(40403));
        Assert.That(error.Message, Does.Contain("987654321"));
    }

    [Test]
    public async Task GetSubjectsAndVersions_ListWhatWasRegistered()
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));
        await client.RegisterSchemaAsync(subject, Avro(FullForm(CustomerWithOptionalEmail)));

        var subjects = await client.GetAllSubjectsAsync();
        var versions = await client.GetSubjectVersionsAsync(subject);
        var first = await client.GetRegisteredSchemaAsync(subject, 1);
        var latest = await client.GetLatestSchemaAsync(subject);

        Assert.That(subjects, Does.Contain(subject));
        Assert.That(versions, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(FullForm(first.SchemaString), Is.EqualTo(FullForm(Customer)));
        Assert.That(latest.Version, Is.EqualTo(2));
        Assert.That(FullForm(latest.SchemaString), Is.EqualTo(FullForm(CustomerWithOptionalEmail)));
    }

    [Test]
    public async Task GetVersion_MissingVersion_Throws40402()
    {
        var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, Avro(FullForm(Customer)));

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetRegisteredSchemaAsync(subject, 7));

        Assert.That(error.ErrorCode, Is.EqualTo(40402));
    }

    [Test]
    public void GetVersions_UnknownSubject_Throws40401Permanent()
    {
        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => CreateClient().GetSubjectVersionsAsync(UniqueSubject()));

        Assert.That(error.ErrorCode, Is.EqualTo(40401));
        Assert.That(RegistryFailures.IsTransient(error), Is.False);
    }
}
