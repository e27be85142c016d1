using System.Net.Sockets;
using KafkaCdc.Shared.Failures;
using Renci.SshNet.Common;

namespace KafkaCdc.Shared.Ssh;

/// <summary>
/// What a failed SSH connect means, as an <see cref="SshTunnelException"/> naming the setting to fix: a refused key
/// (<c>ssh.private.key</c>) and an unverified host key (<c>ssh.known.hosts</c>) are permanent, so is a port where no SSH
/// server answers (<c>ssh.port</c>); a refused or unreachable port, an unresolved name, a timeout or a session that
/// broke off are transient. Tested row by row in <c>SshConnectFailuresTests</c>.
/// </summary>
internal static class SshConnectFailures
{
    /// <summary>How long a connect and the SSH handshake may take.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The exception to throw for a failed connect, or null when it is none of the known kinds.</summary>
    public static SshTunnelException? Translate(Exception e, SshTunnelOptions options, string? presented, SshHostKeyVerdict verdict)
    {
        var (host, port) = (options.Host, options.Port);
        const string Endpoint = $"{SshTunnelOptions.HostnameKey}/{SshTunnelOptions.PortKey}";
        if (presented is not null && verdict != SshHostKeyVerdict.Trusted && e is SshConnectionException)
        {
            var file = options.KnownHostsPath;
            var name = SshKnownHosts.HostName(host, port);
            return new(FailureKind.Permanent, SshTunnelOptions.KnownHostsKey, $"{SshTunnelOptions.KnownHostsKey}: " + verdict switch
            {
                SshHostKeyVerdict.Revoked => $"host key of {host}:{port} ({presented}) is marked @revoked in {file}",
                SshHostKeyVerdict.Changed => $"host key of {host}:{port} ({presented}) does not match the key(s) {file} has for {name}: " +
                                             "the server's key changed, or someone is intercepting the connection",
                _ => $"host key of {host}:{port} ({presented}) is not in {file} (as {name}): add it once its fingerprint is confirmed " +
                     $"(ssh-keyscan -p {port} {host}), or set {SshTunnelOptions.HostKeyCheckKey}=false",
            }, e);
        }
        return e switch
        {
            SshAuthenticationException => new(FailureKind.Permanent, SshTunnelOptions.PrivateKeyKey,
                $"{SshTunnelOptions.PrivateKeyKey}: the SSH server {host}:{port} refused the key ({options.PrivateKeySource}) for user {options.User}: {e.Message}", e),
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => new(FailureKind.Transient, Endpoint,
                $"{Endpoint}: cannot connect to {host}:{port}: connection refused", e),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => new(FailureKind.Transient,
                SshTunnelOptions.HostnameKey, $"{SshTunnelOptions.HostnameKey}: cannot resolve '{host}': {e.Message}", e),
            SocketException => new(FailureKind.Transient, Endpoint, $"{Endpoint}: cannot connect to {host}:{port}: {e.Message}", e),
            SshOperationTimeoutException or TimeoutException => new(FailureKind.Transient, Endpoint,
                $"{Endpoint}: {host}:{port} did not complete the SSH handshake within {ConnectTimeout.TotalSeconds:0} s", e),
            SshConnectionException when e.Message.Contains("protocol identification", StringComparison.OrdinalIgnoreCase) => new(FailureKind.Permanent,
                SshTunnelOptions.PortKey, $"{SshTunnelOptions.PortKey}: {host}:{port} is not an SSH server ({e.Message})", e),
            SshException => new(FailureKind.Transient, Endpoint, $"{Endpoint}: the SSH session with {host}:{port} failed: {e.Message}", e),
            _ => null,
        };
    }
}
