using System.Net;
using System.Text;
using Confluent.SchemaRegistry;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Basic authentication as Confluent's client sends it and the connectors configure it. Dev-only: it needs a server
/// configured with known credentials (an in-process one); skipped with <c>SCHEMA_REGISTRY_URL</c> set.
/// </summary>
public class RegistryAuthConformanceTests : SchemaRegistryFixture
{
    const string User = "connector";
    const string Password = "s3cret-Pa55";

    protected override SchemaRegistryServerOptions ServerOptions => new() { BasicAuthUser = User, BasicAuthPassword = Password };

    protected override bool NeedsInProcessServer => true;

    [Test]
    public async Task Register_RightCredentials_Succeeds()
    {
        var id = await CreateClient($"{User}:{Password}").RegisterSchemaAsync(UniqueSubject(), Avro(FullForm(Customer)));

        Assert.That(id, Is.Positive);
    }

    [Test]
    public async Task ConnectorOptions_UserInfoKey_ReachesTheRegistry()
    {
        using var client = SchemaRegistryClientOptions.ForUrl(RegistryUrl.ToString(), $"{User}:{Password}").CreateClient();

        Assert.That(await client.GetAllSubjectsAsync(), Is.Not.Null);
    }

    [Test]
    public void Register_WrongCredentials_Throws401PermanentWithoutCredentialsInTheMessage()
    {
        const string wrongPassword = "not-the-Pa55word";
        var client = CreateClient($"{User}:{wrongPassword}");

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(UniqueSubject(), Avro(FullForm(Customer))));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.ErrorCode, Is.EqualTo(401));
        Assert.That(RegistryFailures.IsTransient(error), Is.False);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{wrongPassword}"));
        Assert.That(error.ToString() + RegistryFailures.Describe(error), Does.Not.Contain(wrongPassword).And.Not.Contain(encoded).And.Not.Contain(Password));
    }

    [Test]
    public void GetSubjects_NoCredentials_Throws401()
    {
        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => CreateClient().GetAllSubjectsAsync());

        Assert.That(error.ErrorCode, Is.EqualTo(401));
    }
}
