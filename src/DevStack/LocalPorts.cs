using System.Net;
using System.Net.Sockets;

namespace KafkaCdc.DevStack;

/// <summary>Ports for servers started locally (PostgreSQL, a connector's REST endpoint) by the dev stack, tests and benchmarks.</summary>
public static class LocalPorts
{
    /// <summary>A loopback TCP port that was free a moment ago (the caller binds it soon; a collision is possible but rare).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
