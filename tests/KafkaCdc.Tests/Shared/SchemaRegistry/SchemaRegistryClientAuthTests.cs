using System.Net;
using System.Text;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.Shared.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class SchemaRegistryClientAuthTests : SchemaRegistryFixture
{
    const string User = "connector";
    const string Password = "s3cret-Pa55";

    protected override SchemaRegistryServerOptions ServerOptions => new() { BasicAuthUser = User, BasicAuthPassword = Password };

    protected override bool NeedsInProcessServer => true;

    [Test]
    public async Task Register_RightCredentials_Succeeds()
    {
        using var client = CreateClient(o => new SchemaRegistryClientOptions { Urls = o.Urls, BasicAuthUserInfo = $"{User}:{Password}" });

        var id = await client.RegisterSchemaAsync(UniqueSubject(), FullForm(Customer), CancellationToken.None);

        Assert.That(id, Is.Positive);
    }

    [Test]
    public void Register_WrongCredentials_Throws401WithoutCredentialsInMessageOrLogs()
    {
        const string wrongPassword = "not-the-Pa55word";
        var logs = new CapturingLoggerFactory();
        using var client = CreateClient(o => new SchemaRegistryClientOptions { Urls = o.Urls, BasicAuthUserInfo = $"{User}:{wrongPassword}" },
            loggerFactory: logs);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(UniqueSubject(), FullForm(Customer), CancellationToken.None));

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.ErrorCode, Is.EqualTo(401));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.Message, Does.Contain(SchemaRegistryClientOptions.BasicAuthUserInfoKey));
        Assert.That(logs.Entries, Is.Not.Empty);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{wrongPassword}"));
        foreach (var text in new[] { error.ToString(), logs.Text })
            Assert.That(text, Does.Not.Contain(wrongPassword).And.Not.Contain(encoded).And.Not.Contain(Password));
    }

    [Test]
    public void GetSubjects_NoCredentials_Throws401()
    {
        using var client = CreateClient();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSubjectsAsync(CancellationToken.None));

        Assert.That(error.ErrorCode, Is.EqualTo(401));
    }
}
