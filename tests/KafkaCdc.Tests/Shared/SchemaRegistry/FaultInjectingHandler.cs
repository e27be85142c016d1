using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

/// <summary>
/// Sits at the HTTP boundary of a <see cref="KafkaCdc.Shared.SchemaRegistry.SchemaRegistryClient"/>: records every
/// request and fails the first <see cref="FailFirst"/> of them as <see cref="Fault"/> says, passing the rest to the network.
/// </summary>
public sealed class FaultInjectingHandler : DelegatingHandler
{
    int _seen;

    public FaultInjectingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>How the failed requests fail.</summary>
    public enum FaultKind
    {
        /// <summary>503 with a Confluent error body.</summary>
        ServiceUnavailable,

        /// <summary>The connection is reset (<see cref="SocketException"/> inside an <see cref="HttpRequestException"/>).</summary>
        SocketError,

        /// <summary>No answer until the request is cancelled (the client's timeout).</summary>
        Hang,
    }

    /// <summary>How many requests fail before the rest pass.</summary>
    public int FailFirst { get; init; }

    public FaultKind Fault { get; init; }

    /// <summary>Every request, in order: method and URL.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How many requests were sent.</summary>
    public int Count => Requests.Count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue($"{request.Method} {request.RequestUri}");
        if (Interlocked.Increment(ref _seen) > FailFirst) return await base.SendAsync(request, cancellationToken);

        switch (Fault)
        {
            case FaultKind.SocketError:
                throw new HttpRequestException("An error occurred while sending the request.", new SocketException((int)SocketError.ConnectionReset));
            case FaultKind.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new UnreachableException();
            default:
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                {
                    Content = new StringContent("""{"error_code":50003,"message":"Error while forwarding the request to the leader"}""",
                        Encoding.UTF8, "application/vnd.schemaregistry.v1+json"),
                };
        }
    }
}
