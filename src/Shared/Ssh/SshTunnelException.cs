using KafkaCdc.Shared.Failures;

namespace KafkaCdc.Shared.Ssh;

/// <summary>
/// The SSH tunnel could not be opened: the message starts with the setting at fault (<c>ssh.private.key: …</c>) and
/// never holds the key or its passphrase. <see cref="Kind"/> says whether trying again can help: a refused key or an
/// unverified host key is <see cref="FailureKind.Permanent"/>; an unreachable server, a timeout or a lost session is
/// <see cref="FailureKind.Transient"/>. Both connectors' classifiers take <see cref="Kind"/> as it is.
/// </summary>
public sealed class SshTunnelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Whether a retry can help.</param>
    /// <param name="setting">The setting at fault (<c>ssh.private.key</c>, <c>ssh.known.hosts</c>, <c>ssh.host/ssh.port</c>…).</param>
    /// <param name="message">The whole message, starting with <paramref name="setting"/>.</param>
    /// <param name="innerException">The SSH library's or socket's exception, if any.</param>
    public SshTunnelException(FailureKind kind, string setting, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Setting = setting;
    }

    /// <summary>Whether a retry can help.</summary>
    public FailureKind Kind { get; }

    /// <summary>The setting at fault.</summary>
    public string Setting { get; }
}
