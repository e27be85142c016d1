using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Confluent.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

/// <summary>
/// Registry failures as Confluent.SchemaRegistry 2.16's client throws them after its retries, with whether they are
/// transient: the one table that <c>RegistryFailuresTests</c> and both connectors' classifier tests run.
/// </summary>
public static class RegistryFailureRows
{
    /// <summary>Each failure, whether trying again later may succeed, and a name for the test.</summary>
    public static IEnumerable<(HttpRequestException Failure, bool Transient, string Name)> All()
    {
        const string Url = "[http://r:8081/] ";
        static SchemaRegistryException Answer(HttpStatusCode status, int errorCode, string message = "the registry's message") =>
            new(message, status, errorCode);

        yield return (new HttpRequestException(Url + "HttpRequestException: Connection refused (r:8081)",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (r:8081)", new SocketException((int)SocketError.ConnectionRefused))), true, "Unreachable");
        yield return (new HttpRequestException(Url + "HttpRequestException: Name or service not known (r:8081)",
            new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (r:8081)", new SocketException((int)SocketError.HostNotFound))), true, "UnknownHost");
        yield return (new HttpRequestException(Url + "TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.",
            new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.", new TimeoutException())), true, "Timeout");
        yield return (new HttpRequestException("[http://a:8081/] HttpRequestException: Connection refused; [http://b:8081/] HttpRequestException: Connection reset",
            new AggregateException(new HttpRequestException("Connection refused"), new HttpRequestException("Connection reset"))), true, "EveryUrlUnreachable");
        yield return (Answer(HttpStatusCode.RequestTimeout, 408), true, "RequestTimeout408");
        yield return (Answer(HttpStatusCode.TooManyRequests, 429), true, "TooManyRequests429");
        yield return (Answer(HttpStatusCode.InternalServerError, 50001, "Error in the backend data store"), true, "BackendStore50001");
        yield return (Answer(HttpStatusCode.BadGateway, -1, ""), true, "BadGateway502");
        yield return (Answer(HttpStatusCode.ServiceUnavailable, 50301), true, "ServiceUnavailable503");
        yield return (Answer(HttpStatusCode.GatewayTimeout, 50002, "Operation timed out"), true, "GatewayTimeout504");
        yield return (Answer(HttpStatusCode.Conflict, 409, "Schema being registered is incompatible with an earlier schema"), false, "Incompatible409");
        yield return (Answer(HttpStatusCode.UnprocessableEntity, 42201, "Invalid schema"), false, "InvalidSchema42201");
        yield return (Answer(HttpStatusCode.UnprocessableEntity, 42202, "Invalid version"), false, "InvalidVersion42202");
        yield return (Answer(HttpStatusCode.NotFound, 40401, "Subject 'orders-value' not found."), false, "SubjectNotFound40401");
        yield return (Answer(HttpStatusCode.NotFound, 40402, "Version 7 not found."), false, "VersionNotFound40402");
        yield return (Answer(HttpStatusCode.NotFound, 40403, "Schema 12 not found"), false, "SchemaNotFound40403");
        yield return (Answer(HttpStatusCode.NotFound, -1, ""), false, "NotFoundWithoutRegistryBody");
        yield return (Answer(HttpStatusCode.BadRequest, 400, "Bad request"), false, "BadRequest400");
        yield return (Answer(HttpStatusCode.Unauthorized, 401, "Unauthorized"), false, "Unauthorized401");
        yield return (new HttpRequestException("Unauthorized", new InvalidOperationException("not JSON")), false, "UnauthorizedWithoutRegistryBody");
        yield return (Answer(HttpStatusCode.Forbidden, 40301, "User is denied operation Write on subject"), false, "Forbidden403");
        yield return (new HttpRequestException("[https://r:8081/] HttpRequestException: The SSL connection could not be established, see inner exception.",
            new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.",
                new AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."))),
            false, "UntrustedCertificate");
    }
}
