using System.Net.Sockets;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Ssh;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace KafkaCdc.Tests.Shared.Ssh;

/// <summary>What a failed SSH connect means: the setting to fix and whether a retry can help, row by row.</summary>
public class SshConnectFailuresTests
{
    static readonly SshTunnelOptions s_options = new("bastion.example", 2222, "tunnel", "(key)", "file '/keys/id'", null, "/keys/known_hosts", true);

    static IEnumerable<TestCaseData> Rows()
    {
        static TestCaseData Row(Exception failure, string? presented, SshHostKeyVerdict verdict, FailureKind kind, string start, string name) =>
            new TestCaseData(failure, presented, verdict, kind, start).SetName($"Translate_{name}_Is{kind}");

        const string Key = "ssh-ed25519 SHA256:abc";
        yield return Row(new SshAuthenticationException("Permission denied (publickey)."), Key, SshHostKeyVerdict.Trusted, FailureKind.Permanent,
            "ssh.private.key: the SSH server bastion.example:2222 refused the key (file '/keys/id') for user tunnel", "KeyRefused");
        yield return Row(new SshConnectionException("Host key could not be verified.", DisconnectReason.HostKeyNotVerifiable), Key, SshHostKeyVerdict.Unknown,
            FailureKind.Permanent, "ssh.known.hosts: host key of bastion.example:2222 (ssh-ed25519 SHA256:abc) is not in /keys/known_hosts (as [bastion.example]:2222)",
            "HostKeyUnknown");
        yield return Row(new SshConnectionException("Host key could not be verified."), Key, SshHostKeyVerdict.Changed, FailureKind.Permanent,
            "ssh.known.hosts: host key of bastion.example:2222 (ssh-ed25519 SHA256:abc) does not match", "HostKeyChanged");
        yield return Row(new SshConnectionException("Host key could not be verified."), Key, SshHostKeyVerdict.Revoked, FailureKind.Permanent,
            "ssh.known.hosts: host key of bastion.example:2222 (ssh-ed25519 SHA256:abc) is marked @revoked", "HostKeyRevoked");
        yield return Row(new SocketException((int)SocketError.ConnectionRefused), null, SshHostKeyVerdict.Trusted, FailureKind.Transient,
            "ssh.host/ssh.port: cannot connect to bastion.example:2222: connection refused", "ConnectionRefused");
        yield return Row(new SocketException((int)SocketError.HostNotFound), null, SshHostKeyVerdict.Trusted, FailureKind.Transient,
            "ssh.host: cannot resolve 'bastion.example'", "NameNotResolved");
        yield return Row(new SocketException((int)SocketError.NetworkUnreachable), null, SshHostKeyVerdict.Trusted, FailureKind.Transient,
            "ssh.host/ssh.port: cannot connect to bastion.example:2222", "NetworkUnreachable");
        yield return Row(new SshOperationTimeoutException("Socket read operation has timed out"), null, SshHostKeyVerdict.Trusted, FailureKind.Transient,
            "ssh.host/ssh.port: bastion.example:2222 did not complete the SSH handshake within 15 s", "HandshakeTimeout");
        yield return Row(new SshConnectionException("Server response does not contain SSH protocol identification."), null, SshHostKeyVerdict.Trusted,
            FailureKind.Permanent, "ssh.port: bastion.example:2222 is not an SSH server", "NotAnSshServer");
        yield return Row(new SshConnectionException("An established connection was aborted by the server."), Key, SshHostKeyVerdict.Trusted,
            FailureKind.Transient, "ssh.host/ssh.port: the SSH session with bastion.example:2222 failed", "SessionBrokeOff");
    }

    [TestCaseSource(nameof(Rows))]
    public void Translate(Exception failure, string? presented, SshHostKeyVerdict verdict, FailureKind kind, string start)
    {
        var translated = SshConnectFailures.Translate(failure, s_options, presented, verdict);
        Assert.That(translated, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(translated!.Kind, Is.EqualTo(kind));
            Assert.That(translated.Message, Does.StartWith(start));
            Assert.That(translated.Message, Does.StartWith(translated.Setting + ":"), "the message starts with the setting at fault");
            Assert.That(translated.InnerException, Is.SameAs(failure));
        });
    }

    [Test]
    public void Translate_NotAnSshOrSocketFailure_IsLeftToTheClassifiers() =>
        Assert.That(SshConnectFailures.Translate(new InvalidOperationException("bug"), s_options, null, SshHostKeyVerdict.Trusted), Is.Null);
}
