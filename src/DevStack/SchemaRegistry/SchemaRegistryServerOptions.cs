using System.Net;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>How <see cref="SchemaRegistryServer.StartAsync"/> listens and whom it lets in.</summary>
public sealed class SchemaRegistryServerOptions
{
    /// <summary>The TCP port; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The address to listen on; 127.0.0.1 by default.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// When set (with <see cref="BasicAuthPassword"/>), every request must carry these HTTP basic-auth
    /// credentials, as a registry configured with <c>authentication.method=BASIC</c> requires; requests
    /// without them are answered 401.
    /// </summary>
    public string? BasicAuthUser { get; init; }

    /// <summary>The password that goes with <see cref="BasicAuthUser"/>.</summary>
    public string? BasicAuthPassword { get; init; }

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "the schema registry port must be 0 (any free port) to 65535");
        if ((BasicAuthUser is null) != (BasicAuthPassword is null))
            throw new ArgumentException("set both BasicAuthUser and BasicAuthPassword to require credentials, or neither", nameof(BasicAuthUser));
        if (BasicAuthUser is not null && (BasicAuthUser.Length == 0 || BasicAuthUser.Contains(':', StringComparison.Ordinal)))
            throw new ArgumentException("BasicAuthUser must be non-empty and contain no ':' (HTTP basic auth separates user and password with it)", nameof(BasicAuthUser));
    }
}
