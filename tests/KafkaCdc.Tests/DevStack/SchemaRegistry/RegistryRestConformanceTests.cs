using System.Net;
using System.Text.Json.Nodes;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// The registry's HTTP answers as raw JSON, where Confluent's client hides them: status codes, <c>error_code</c>s,
/// messages and content types (Confluent 7.5–7.9's resources and JAX-RS exception mappers).
/// </summary>
public class RegistryRestConformanceTests : SchemaRegistryFixture
{
    [Test]
    public async Task Register_AnswersIdWithRegistryContentType()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", SchemaBody(Customer));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((int?)answer.Body?["id"], Is.Positive);
        Assert.That(answer.ContentType, Is.EqualTo(RegistryJson));
    }

    [TestCase("application/json")]
    [TestCase("application/octet-stream")]
    [TestCase("application/vnd.schemaregistry+json")]
    public async Task Register_OtherAcceptedContentTypes_AreRead(string contentType)
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions",
            Body(new JsonObject { ["schema"] = Customer }.ToJsonString(), contentType));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Register_TextPlain_Answers415()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", Body("{}", "text/plain"));

        AssertError(answer, HttpStatusCode.UnsupportedMediaType, 415);
    }

    [Test]
    public async Task UnknownRoute_Answers404WithErrorCode404()
    {
        var answer = await SendAsync(HttpMethod.Get, "no/such/resource");

        AssertError(answer, HttpStatusCode.NotFound, 404);
    }

    [Test]
    public async Task WrongMethod_Answers405()
    {
        var answer = await SendAsync(HttpMethod.Put, "subjects");

        AssertError(answer, HttpStatusCode.MethodNotAllowed, 405);
    }

    [Test]
    public async Task Register_MalformedJson_Answers400NotA500()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", Body("{\"schema\": "));

        AssertError(answer, HttpStatusCode.BadRequest, 400);
    }

    [Test]
    public async Task Register_NoSchemaMemberOnNewSubject_Answers42201EmptySchema()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", Body("""{"schemaType":"AVRO"}"""));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201, "Empty schema");
    }

    [Test]
    public async Task Register_InvalidAvro_Answers42201WithTheParsersMessage()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions",
            SchemaBody("""{"type":"enum","name":"E","symbols":["Dup","Dup"]}"""));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201, "Invalid schema");
        Assert.That((string?)answer.Body?["message"], Does.Contain("Dup"));
    }

    [TestCase("0")]
    [TestCase("-2")]
    [TestCase("first")]
    public async Task GetVersion_InvalidVersion_Answers42202(string version)
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions/{version}");

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42202, $"'{version}' is not a valid version");
    }

    [TestCase("latest")]
    [TestCase("LATEST")]
    [TestCase("-1")]
    [TestCase("1")]
    public async Task GetVersion_LatestOrNumber_AnswersTheVersion(string version)
    {
        var subject = UniqueSubject();
        var registered = await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions/{version}");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)answer.Body?["subject"], Is.EqualTo(subject));
        Assert.That((int?)answer.Body?["version"], Is.EqualTo(1));
        Assert.That((int?)answer.Body?["id"], Is.EqualTo((int?)registered.Body?["id"]));
        Assert.That(FullForm((string)answer.Body!["schema"]!), Is.EqualTo(FullForm(Customer)));
    }

    [Test]
    public async Task GetVersionSchema_AnswersTheSchemaItself()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions/1/schema");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(FullForm(answer.Body!.ToJsonString()), Is.EqualTo(FullForm(Customer)));
    }

    [Test]
    public async Task GetSchemaById_Unknown_Answers40403NamingTheId()
    {
        var answer = await SendAsync(HttpMethod.Get, "schemas/ids/765432109");

        AssertError(answer, HttpStatusCode.NotFound, 40403, "Schema 765432109 not found");
    }

    [Test]
    public async Task GetSubjectVersions_UnknownSubject_Answers40401()
    {
        var subject = UniqueSubject();

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions");

        AssertError(answer, HttpStatusCode.NotFound, 40401, $"Subject '{subject}' not found.");
    }

    [Test]
    public async Task Register_Incompatible_Answers409WithConfluentMessage()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"BACKWARD"}"""));
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(CustomerWithRequiredEmail));

        AssertError(answer, HttpStatusCode.Conflict, 409,
            $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    }

    [Test]
    public async Task CompatibilityTest_WithoutVerbose_HasNoMessages()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"BACKWARD"}"""));
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Post, $"compatibility/subjects/{subject}/versions/latest", SchemaBody(CustomerWithStringId));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((bool?)answer.Body?["is_compatible"], Is.False);
        Assert.That(answer.Body?["messages"], Is.Null);
    }

    [Test]
    public async Task SubjectConfig_NotSet_Answers40408UnlessDefaultToGlobal()
    {
        var subject = UniqueSubject();

        var own = await SendAsync(HttpMethod.Get, $"config/{subject}");
        var fallback = await SendAsync(HttpMethod.Get, $"config/{subject}?defaultToGlobal=true");

        AssertError(own, HttpStatusCode.NotFound, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");
        Assert.That(fallback.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)fallback.Body?["compatibilityLevel"], Is.Not.Null);
    }

    [Test]
    public async Task PutConfig_AnswersTheLevelSet_ReadCaseInsensitively()
    {
        var subject = UniqueSubject();

        var put = await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"full"}"""));
        var get = await SendAsync(HttpMethod.Get, $"config/{subject}");

        Assert.That((string?)put.Body?["compatibility"], Is.EqualTo("full").IgnoreCase);
        Assert.That((string?)get.Body?["compatibilityLevel"], Is.EqualTo("FULL"));
    }

    [Test]
    public async Task PutConfig_UnknownLevel_Answers42203()
    {
        var answer = await SendAsync(HttpMethod.Put, $"config/{UniqueSubject()}", Body("""{"compatibility":"SIDEWAYS"}"""));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42203, "Invalid compatibility level");
    }

    [Test]
    public async Task Register_ManyDistinctSchemasAtOnce_GivesOneVersionAndIdEach()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"NONE"}"""));
        var schemas = Enumerable.Range(0, 20)
            .Select(i => $$"""{"type":"record","name":"R","fields":[{"name":"f{{i}}_{{subject.GetHashCode():x}}","type":"int"}]}""").ToArray();

        var answers = await Task.WhenAll(schemas.Select(schema => SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(schema))));
        var versions = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions");

        Assert.That(answers.Select(a => (int?)a.Body?["id"]), Is.Unique.And.All.Positive);
        Assert.That(versions.Body!.AsArray().Select(v => (int)v!), Is.EqualTo(Enumerable.Range(1, 20)));
    }
}
