using System.Security.Cryptography;
using System.Text;
using KafkaCdc.Shared.Ssh;

namespace KafkaCdc.Tests.Shared.Ssh;

/// <summary>known_hosts as OpenSSH writes and reads it: names, ports, wildcards, negations, hashed names, @revoked.</summary>
public class SshKnownHostsTests
{
    static readonly byte[] s_key = KeyBlob("ssh-ed25519", 1);
    static readonly byte[] s_otherKey = KeyBlob("ssh-ed25519", 2);
    static readonly byte[] s_rsaKey = KeyBlob("ssh-rsa", 3);

    [TestCase("bastion.example", 22, SshHostKeyVerdict.Trusted, TestName = "Verify_PlainName_Trusted")]
    [TestCase("BASTION.example", 22, SshHostKeyVerdict.Trusted, TestName = "Verify_NameCaseInsensitive_Trusted")]
    [TestCase("bastion.example", 2222, SshHostKeyVerdict.Unknown, TestName = "Verify_OtherPort_Unknown")]
    [TestCase("10.1.2.3", 2222, SshHostKeyVerdict.Trusted, TestName = "Verify_BracketedNameWithPort_Trusted")]
    [TestCase("db-bastion-7.corp", 22, SshHostKeyVerdict.Trusted, TestName = "Verify_Wildcard_Trusted")]
    [TestCase("db-bastion-x.corp", 22, SshHostKeyVerdict.Unknown, TestName = "Verify_NegatedPattern_Unknown")]
    [TestCase("hashed.example", 22, SshHostKeyVerdict.Trusted, TestName = "Verify_HashedName_Trusted")]
    [TestCase("changed.example", 22, SshHostKeyVerdict.Changed, TestName = "Verify_OtherKeyKnownForTheHost_Changed")]
    [TestCase("revoked.example", 22, SshHostKeyVerdict.Revoked, TestName = "Verify_RevokedKey_Revoked")]
    [TestCase("nowhere.example", 22, SshHostKeyVerdict.Unknown, TestName = "Verify_UnlistedHost_Unknown")]
    public void Verify(string host, int port, SshHostKeyVerdict expected) =>
        Assert.That(KnownHosts().Verify(host, port, s_key), Is.EqualTo(expected));

    [Test]
    public void KeyTypes_AreThoseListedForTheHost()
    {
        var knownHosts = KnownHosts();
        Assert.Multiple(() =>
        {
            Assert.That(knownHosts.KeyTypes("bastion.example", 22), Is.EquivalentTo(new[] { "ssh-ed25519", "ssh-rsa" }));
            Assert.That(knownHosts.KeyTypes("nowhere.example", 22), Is.Empty);
        });
    }

    [Test]
    public void HostName_Port22IsBare_OthersBracketed() =>
        Assert.That((SshKnownHosts.HostName("h", 22), SshKnownHosts.HostName("h", 2022)), Is.EqualTo(("h", "[h]:2022")));

    static SshKnownHosts KnownHosts()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("hashed.example"));
        return SshKnownHosts.Parse(
        [
            "# a comment, then an empty line and one that does not parse",
            "",
            "garbage",
            $"bastion.example,other.example ssh-ed25519 {B64(s_key)} comment words",
            $"bastion.example ssh-rsa {B64(s_rsaKey)}",
            $"[10.1.2.3]:2222 ssh-ed25519 {B64(s_key)}",
            $"db-bastion-?.corp,!db-bastion-x.corp ssh-ed25519 {B64(s_key)}",
            $"|1|{B64(salt)}|{B64(hash)} ssh-ed25519 {B64(s_key)}",
            $"changed.example ssh-ed25519 {B64(s_otherKey)}",
            $"revoked.example ssh-ed25519 {B64(s_key)}",
            $"@revoked revoked.example ssh-ed25519 {B64(s_key)}",
            $"@cert-authority *.example ssh-ed25519 {B64(s_key)}",
        ]);
    }

    static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    /// <summary>An SSH public key blob: the type as a length-prefixed string, then key bytes.</summary>
    static byte[] KeyBlob(string type, byte fill)
    {
        var name = Encoding.ASCII.GetBytes(type);
        return [0, 0, 0, (byte)name.Length, .. name, 0, 0, 0, 32, .. Enumerable.Repeat(fill, 32)];
    }
}
