using System.Security.Cryptography;
using System.Text;

namespace KafkaCdc.Shared.Ssh;

/// <summary>
/// An OpenSSH known_hosts file (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): which host keys are trusted for which hosts.
/// A line is <c>[marker] patterns keytype base64-key [comment]</c>; patterns are comma-separated host names, written
/// <c>[host]:port</c> for a port other than 22, with <c>*</c> and <c>?</c> wildcards and <c>!</c> negations, or hashed
/// (<c>|1|salt|hash</c>, HMAC-SHA1 of the name, as <c>ssh-keygen -H</c> and <c>HashKnownHosts</c> write them). The
/// <c>@revoked</c> marker rejects a key; <c>@cert-authority</c> lines are skipped (certificates are not supported).
/// </summary>
public sealed class SshKnownHosts
{
    readonly List<Entry> _entries;

    SshKnownHosts(List<Entry> entries) => _entries = entries;

    /// <summary>Reads a known_hosts file.</summary>
    public static SshKnownHosts Load(string path) => Parse(File.ReadAllLines(path));

    /// <summary>Parses the lines of a known_hosts file; lines that do not parse are skipped, as OpenSSH does.</summary>
    public static SshKnownHosts Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new List<Entry>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var revoked = false;
            if (fields[0].StartsWith('@'))
            {
                if (fields[0] != "@revoked") continue;
                revoked = true;
                fields = fields[1..];
            }
            if (fields.Length < 3) continue;
            byte[] key;
            try
            {
                key = Convert.FromBase64String(fields[2]);
            }
            catch (FormatException)
            {
                continue;
            }
            entries.Add(new Entry(fields[0].Split(','), fields[1], key, revoked));
        }
        return new SshKnownHosts(entries);
    }

    /// <summary>How the file judges <paramref name="hostKey"/> (the key blob as the server sent it) of <paramref name="host"/>:<paramref name="port"/>.</summary>
    public SshHostKeyVerdict Verify(string host, int port, byte[] hostKey)
    {
        ArgumentNullException.ThrowIfNull(hostKey);
        var matching = _entries.Where(e => e.Matches(HostName(host, port))).ToList();
        if (matching.Any(e => e.Revoked && e.Key.AsSpan().SequenceEqual(hostKey))) return SshHostKeyVerdict.Revoked;
        if (matching.Any(e => !e.Revoked && e.Key.AsSpan().SequenceEqual(hostKey))) return SshHostKeyVerdict.Trusted;
        return matching.Any(e => !e.Revoked) ? SshHostKeyVerdict.Changed : SshHostKeyVerdict.Unknown;
    }

    /// <summary>The key types (<c>ssh-ed25519</c>, <c>ssh-rsa</c>…) the file trusts for the host, so only those are negotiated.</summary>
    public IReadOnlySet<string> KeyTypes(string host, int port) =>
        _entries.Where(e => !e.Revoked && e.Matches(HostName(host, port))).Select(e => e.KeyType).ToHashSet(StringComparer.Ordinal);

    /// <summary>The name a host is known by: <c>host</c> on port 22, <c>[host]:port</c> on any other.</summary>
    public static string HostName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    sealed record Entry(string[] Patterns, string KeyType, byte[] Key, bool Revoked)
    {
        public bool Matches(string name)
        {
            var matched = false;
            foreach (var pattern in Patterns)
            {
                if (pattern.StartsWith('!'))
                {
                    if (PatternMatches(pattern[1..], name)) return false;
                }
                else if (PatternMatches(pattern, name))
                {
                    matched = true;
                }
            }
            return matched;
        }

        static bool PatternMatches(string pattern, string name)
        {
            if (pattern.StartsWith("|1|", StringComparison.Ordinal)) return HashedMatches(pattern, name);
            return Glob(pattern.ToLowerInvariant(), name.ToLowerInvariant());
        }

        static bool HashedMatches(string pattern, string name)
        {
            var parts = pattern.Split('|');
            if (parts.Length != 4) return false;
            try
            {
                var salt = Convert.FromBase64String(parts[2]);
                var hash = Convert.FromBase64String(parts[3]);
                return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name)), hash);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        /// <summary>OpenSSH's match_pattern: <c>*</c> any run of characters, <c>?</c> one character.</summary>
        static bool Glob(string pattern, string text)
        {
            int p = 0, t = 0, star = -1, resume = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
                {
                    p++;
                    t++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    star = p++;
                    resume = t;
                }
                else if (star >= 0)
                {
                    p = star + 1;
                    t = ++resume;
                }
                else
                {
                    return false;
                }
            }
            while (p < pattern.Length && pattern[p] == '*') p++;
            return p == pattern.Length;
        }
    }
}
