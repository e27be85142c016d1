using System.Net;
using System.Net.Sockets;

namespace KafkaCdc.Tests;

/// <summary>
/// Forwards connections to a local port on to another address, so a test can make a service reachable at a moment of
/// its choosing (nothing listens on the port before <see cref="Start"/>, and nothing after <see cref="Dispose"/>).
/// </summary>
public sealed class TcpForwarder : IDisposable
{
    readonly TcpListener _listener;
    readonly CancellationTokenSource _stop = new();

    TcpForwarder(int port, DnsEndPoint target)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = AcceptAsync(target);
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> and forwards every connection to <paramref name="target"/>'s host and port.</summary>
    public static TcpForwarder Start(int port, Uri target) => new(port, new DnsEndPoint(target.Host, target.Port));

    async Task AcceptAsync(DnsEndPoint target)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = PipeAsync(client, target);
        }
    }

    async Task PipeAsync(TcpClient client, DnsEndPoint target)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(target.Host, target.Port, _stop.Token);
                var toTarget = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
                var fromTarget = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(toTarget, fromTarget);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // One side closed or the forwarder stopped: the connection ends, as a real one would.
            }
        }
    }

    /// <summary>Stops listening and ends every forwarded connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
