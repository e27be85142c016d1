using System.Net;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.Shared.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class SchemaRegistryClientTests : SchemaRegistryFixture
{
    [Test]
    public async Task Register_NewSubject_ReturnsIdAndVersion1()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();

        var id = await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        var latest = await client.GetVersionAsync(subject, SchemaVersion.Latest, CancellationToken.None);

        Assert.That(id, Is.Positive);
        Assert.That(latest, Is.EqualTo(new RegisteredSchema(subject, id, 1, FullForm(Customer))));
    }

    [Test]
    public async Task Register_SameSchemaTwice_ReturnsSameIdAndAddsNoVersion()
    {
        var subject = UniqueSubject();
        using var first = CreateClient();
        using var second = CreateClient(); // a fresh cache, so the registry itself must deduplicate

        var id = await first.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        var again = await second.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);

        Assert.That(again, Is.EqualTo(id));
        Assert.That(await first.GetVersionsAsync(subject, CancellationToken.None), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Register_SameSchemaTwiceWithOneClient_SendsOneRequest()
    {
        var handler = new FaultInjectingHandler();
        using var client = CreateClient(handler: handler);
        var subject = UniqueSubject();

        var id = await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        var again = await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);

        Assert.That(again, Is.EqualTo(id));
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Register_IdenticalSchemaUnderTwoSubjects_ReturnsSameId()
    {
        using var client = CreateClient();

        var first = await client.RegisterSchemaAsync(UniqueSubject("key"), FullForm(Customer), CancellationToken.None);
        var second = await client.RegisterSchemaAsync(UniqueSubject("value"), FullForm(Customer), CancellationToken.None);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task Register_SchemaDifferingOnlyInCustomProperty_AddsVersionWithNewId()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();

        var plain = await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        var annotated = await client.RegisterSchemaAsync(subject, FullForm(CustomerWithCustomProperty), CancellationToken.None);
        var latest = await client.GetVersionAsync(subject, SchemaVersion.Latest, CancellationToken.None);

        Assert.That(annotated, Is.Not.EqualTo(plain));
        Assert.That(latest.Version, Is.EqualTo(2));
        Assert.That(latest.Schema, Does.Contain("\"kafkacdc.pg.type\":\"int8\""));
    }

    [Test]
    public async Task Register_InvalidSchema_Throws42201WithParserMessage()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync(subject, """{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}""", CancellationToken.None));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(error.ErrorCode, Is.EqualTo(42201));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.Subject, Is.EqualTo(subject));
        Assert.That(error.Message, Does.Contain(subject).And.Contain("nope"));
    }

    [Test]
    public async Task Lookup_RegisteredSchema_ReturnsSubjectIdAndVersion()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        var id = await client.RegisterSchemaAsync(subject, FullForm(CustomerWithOptionalEmail), CancellationToken.None);

        var found = await client.LookupSchemaAsync(subject, FullForm(CustomerWithOptionalEmail), CancellationToken.None);

        Assert.That(found, Is.EqualTo(new RegisteredSchema(subject, id, 2, FullForm(CustomerWithOptionalEmail))));
    }

    [Test]
    public async Task Lookup_SchemaNotInSubject_Throws40403()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.LookupSchemaAsync(subject, FullForm(CustomerWithOptionalEmail), CancellationToken.None));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(error.ErrorCode, Is.EqualTo(40403));
    }

    [Test]
    public void Lookup_UnknownSubject_Throws40401NamingTheSubject()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.LookupSchemaAsync(subject, FullForm(Customer), CancellationToken.None));

        Assert.That(error.ErrorCode, Is.EqualTo(40401));
        Assert.That(error.Message, Does.Contain(subject));
    }

    [Test]
    public async Task GetSchema_RegisteredId_ReturnsTheSchema()
    {
        using var client = CreateClient();
        var id = await client.RegisterSchemaAsync(UniqueSubject(), FullForm(CustomerWithCustomProperty), CancellationToken.None);
        using var reader = CreateClient();

        var schema = await reader.GetSchemaAsync(id, CancellationToken.None);

        Assert.That(schema, Is.EqualTo(FullForm(CustomerWithCustomProperty)));
    }

    [Test]
    public void GetSchema_UnknownId_Throws40403NamingTheId()
    {
        using var client = CreateClient();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(987654, CancellationToken.None));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(error.ErrorCode, Is.EqualTo(40403));
        Assert.That(error.SchemaId, Is.EqualTo(987654));
        Assert.That(error.Message, Does.Contain("987654").And.Contain("40403"));
    }

    [Test]
    public async Task GetSubjectsAndVersions_ListWhatWasRegistered()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);
        await client.RegisterSchemaAsync(subject, FullForm(CustomerWithOptionalEmail), CancellationToken.None);

        var subjects = await client.GetSubjectsAsync(CancellationToken.None);
        var versions = await client.GetVersionsAsync(subject, CancellationToken.None);
        var first = await client.GetVersionAsync(subject, 1, CancellationToken.None);
        var latest = await client.GetVersionAsync(subject, SchemaVersion.Latest, CancellationToken.None);

        Assert.That(subjects, Does.Contain(subject));
        Assert.That(versions, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(first.Schema, Is.EqualTo(FullForm(Customer)));
        Assert.That(latest.Version, Is.EqualTo(2));
        Assert.That(latest.Schema, Is.EqualTo(FullForm(CustomerWithOptionalEmail)));
    }

    [Test]
    public async Task GetVersion_MissingVersion_Throws40402()
    {
        using var client = CreateClient();
        var subject = UniqueSubject();
        await client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetVersionAsync(subject, 7, CancellationToken.None));

        Assert.That(error.ErrorCode, Is.EqualTo(40402));
    }

    [Test]
    public void GetVersions_UnknownSubject_Throws40401()
    {
        using var client = CreateClient();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetVersionsAsync(UniqueSubject(), CancellationToken.None));

        Assert.That(error.ErrorCode, Is.EqualTo(40401));
        Assert.That(error.IsTransient, Is.False);
    }

    [Test]
    public void SchemaVersion_BelowOne_IsRejected()
    {
        Assert.That(() => SchemaVersion.Of(0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(SchemaVersion.Latest.ToString(), Is.EqualTo("latest"));
        Assert.That(((SchemaVersion)3).Number, Is.EqualTo(3));
    }
}
