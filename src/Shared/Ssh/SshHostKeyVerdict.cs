namespace KafkaCdc.Shared.Ssh;

/// <summary>What a known_hosts file says about a host key (<see cref="SshKnownHosts.Verify"/>).</summary>
public enum SshHostKeyVerdict
{
    /// <summary>The file lists this key for the host.</summary>
    Trusted,

    /// <summary>The file lists no key for the host.</summary>
    Unknown,

    /// <summary>The file lists other keys for the host, not this one: the server's key changed, or someone is in between.</summary>
    Changed,

    /// <summary>The file marks this key <c>@revoked</c>.</summary>
    Revoked,
}
