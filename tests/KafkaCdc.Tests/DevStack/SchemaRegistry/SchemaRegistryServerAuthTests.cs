using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KafkaCdc.DevStack.SchemaRegistry;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// The dev server's basic-auth check at the HTTP level. Dev-only: it needs a server configured with credentials, which an
/// external registry is not known to be; skipped with <c>SCHEMA_REGISTRY_URL</c> set.
/// </summary>
public class SchemaRegistryServerAuthTests : SchemaRegistryFixture
{
    protected override SchemaRegistryServerOptions ServerOptions => new() { BasicAuthUser = "dev", BasicAuthPassword = "pw" };

    protected override bool NeedsInProcessServer => true;

    async Task<HttpResponseMessage> GetSubjectsAsync(string? userInfo)
    {
        using var http = new HttpClient { BaseAddress = RegistryUrl };
        if (userInfo is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        return await http.GetAsync("subjects");
    }

    [Test]
    public async Task Request_WithoutCredentials_Answers401WithChallenge()
    {
        using var response = await GetSubjectsAsync(null);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((int?)body?["error_code"], Is.EqualTo(401));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
    }

    [TestCase("dev:wrong")]
    [TestCase("other:pw")]
    [TestCase("dev")]
    public async Task Request_WrongCredentials_Answers401(string userInfo)
    {
        using var response = await GetSubjectsAsync(userInfo);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Request_WithCredentials_IsAnswered()
    {
        using var response = await GetSubjectsAsync("dev:pw");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void StartAsync_UserWithoutPassword_IsRejected()
    {
        Assert.That(() => SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { BasicAuthUser = "dev" },
                Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("BasicAuthPassword"));
    }
}
