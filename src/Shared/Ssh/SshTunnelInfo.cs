namespace KafkaCdc.Shared.Ssh;

/// <summary>An open SSH tunnel, as <c>check</c> and the start-up log describe it.</summary>
/// <param name="Server"><c>user@host:port</c> of the SSH server.</param>
/// <param name="HostKey">The server's host key: its type and SHA-256 fingerprint (<c>ssh-ed25519 SHA256:…</c>).</param>
/// <param name="HostKeyVerified">Whether the host key was found in the known_hosts file (false: <c>ssh.host.key.check=false</c>).</param>
/// <param name="KnownHostsPath">The known_hosts file checked.</param>
/// <param name="LocalPort">The port on 127.0.0.1 the connector connects to.</param>
/// <param name="Destination"><c>host:port</c> of the database, as the SSH server reaches it.</param>
public sealed record SshTunnelInfo(string Server, string HostKey, bool HostKeyVerified, string KnownHostsPath, int LocalPort, string Destination)
{
    /// <summary>One line: server, host key and whether it was verified, and the forward.</summary>
    public string Describe() =>
        $"connected to {Server} as the SSH server, host key {HostKey} " +
        (HostKeyVerified ? $"verified in {KnownHostsPath}" : "NOT verified (ssh.host.key.check=false)") +
        $"; forwarding 127.0.0.1:{LocalPort} to {Destination}";
}
