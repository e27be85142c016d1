using System.Net;
using System.Net.Sockets;

namespace KafkaCdc.Tests;

/// <summary>
/// Forwards connections to a local port on to another address, so a test can make a service reachable at a moment of
/// its choosing (nothing listens on the port before <see cref="Start"/>, and nothing after <see cref="Dispose"/>), and
/// unreachable for a while (<see cref="Pause"/>, <see cref="Resume"/>).
/// </summary>
public sealed class TcpForwarder : IDisposable
{
    readonly TcpListener _listener;
    readonly CancellationTokenSource _stop = new();
    CancellationTokenSource _connections = new();
    volatile bool _paused;
    int _resets;

    TcpForwarder(int port, DnsEndPoint target)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = AcceptAsync(target);
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> and forwards every connection to <paramref name="target"/>'s host and port.</summary>
    public static TcpForwarder Start(int port, Uri target) => new(port, new DnsEndPoint(target.Host, target.Port));

    /// <summary>How many connections <see cref="Pause"/> reset (new ones while paused, and those open when it began).</summary>
    public int ResetConnections => Volatile.Read(ref _resets);

    /// <summary>
    /// Makes the target unreachable until <see cref="Resume"/>: every open connection is reset, and every new one is
    /// accepted and reset at once (a client sees its connection refused or reset, as with a service that went down).
    /// </summary>
    public void Pause()
    {
        _paused = true;
        // The pipes of open connections watch this token; a new one serves the connections made after Resume.
        var open = Interlocked.Exchange(ref _connections, new CancellationTokenSource());
        // Not disposed: a connection accepted just now may still be linking its pipe to it (a cancelled source holds no timer).
        open.Cancel();
    }

    /// <summary>Forwards new connections again.</summary>
    public void Resume() => _paused = false;

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
            if (_paused) Reset(client);
            else _ = PipeAsync(client, target, _connections.Token);
        }
    }

    async Task PipeAsync(TcpClient client, DnsEndPoint target, CancellationToken paused)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, paused);
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(target.Host, target.Port, stop.Token);
                var toTarget = client.GetStream().CopyToAsync(upstream.GetStream(), stop.Token);
                var fromTarget = upstream.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                await Task.WhenAny(toTarget, fromTarget);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // One side closed or the forwarder stopped: the connection ends, as a real one would.
            }
            if (paused.IsCancellationRequested) Reset(client);
        }
    }

    /// <summary>Closes with a TCP reset (linger 0), not an orderly shutdown.</summary>
    void Reset(TcpClient client)
    {
        Interlocked.Increment(ref _resets);
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed already by the other side: there is nothing left to reset.
        }
        client.Dispose();
    }

    /// <summary>Stops listening and ends every forwarded connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _connections.Dispose();
        _stop.Dispose();
    }
}
