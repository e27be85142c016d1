using System.Buffers.Binary;
using System.Net.Sockets;
using KafkaCdc.Shared.Failures;
using Microsoft.Extensions.Logging;
using Renci.SshNet;

namespace KafkaCdc.Shared.Ssh;

/// <summary>
/// A local port forward to the database through an SSH server: the connectors connect Npgsql to 127.0.0.1:
/// <see cref="LocalPort"/> (<see cref="Postgres.PgConnectionSettings.Builder"/> substitutes it), and the SSH server
/// opens the connection to the database host and port as it sees them. One per process, shared by every connection,
/// ordinary and replication.
/// </summary>
/// <remarks>
/// <para>
/// Opening is lazy and happens again whenever the session was lost: every caller about to open database connections
/// calls <see cref="EnsureOpenAsync"/> first, inside its own retry loop, so the connectors' backoff (the source's
/// runner, the sink's batch retries) also paces the SSH reconnects, and the source resumes from its slot. The local
/// port stays the same across reconnects (the first one is chosen by the system), so connection strings and the sink's
/// pool built once stay valid. SSH keep-alives every 15 s keep idle sessions open through NAT and firewalls; when the
/// session drops, SSH.NET closes the forwarded connections, so Npgsql sees the loss at once.
/// </para>
/// <para>
/// Failures are <see cref="SshTunnelException"/>s naming the setting at fault, with no secret in them. The host key
/// is checked against <see cref="SshTunnelOptions.KnownHostsPath"/> (read again at every open, so it can be
/// corrected without a restart), offering the server only the key types the file knows for it, as OpenSSH does.
/// SSH.NET serves each forwarded connection on a thread of its own (a blocking read), held for the connection's life.
/// </para>
/// </remarks>
public sealed class SshTunnel : IDisposable
{
    static readonly TimeSpan s_keepAliveInterval = TimeSpan.FromSeconds(15);

    readonly string _databaseHost;
    readonly int _databasePort;
    readonly SemaphoreSlim _gate = new(1, 1);
    SshClient? _client;
    PrivateKeyFile? _key;
    ForwardedPortLocal? _forward;
    SshTunnelInfo? _info;
    int _localPort;

    /// <summary>A tunnel to <paramref name="databaseHost"/>:<paramref name="databasePort"/>; nothing is opened until <see cref="EnsureOpenAsync"/>.</summary>
    public SshTunnel(SshTunnelOptions options, string databaseHost, int databasePort)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _databaseHost = databaseHost;
        _databasePort = databasePort;
    }

    /// <summary>The settings.</summary>
    public SshTunnelOptions Options { get; }

    /// <summary>The database as the SSH server reaches it: <c>host:port</c>.</summary>
    public string Destination => $"{_databaseHost}:{_databasePort}";

    /// <summary>The local port on 127.0.0.1 that leads to the database, the same for the tunnel's life.</summary>
    /// <exception cref="InvalidOperationException">The tunnel has never been opened.</exception>
    public int LocalPort => _localPort != 0 ? _localPort
        : throw new InvalidOperationException($"the SSH tunnel to {Destination} has not been opened yet: call EnsureOpenAsync before connecting");

    /// <summary>Whether the session is up and the port forwarded.</summary>
    public bool IsOpen => _client is { IsConnected: true } && _forward is { IsStarted: true };

    /// <summary>
    /// Opens the tunnel unless it is open: at the first call, after the session was lost, or always with
    /// <paramref name="reopen"/> (after a failure through it, when a half-open session could look alive).
    /// </summary>
    /// <exception cref="SshTunnelException">The SSH server cannot be reached or refused the session; see its <see cref="SshTunnelException.Kind"/>.</exception>
    public async Task<SshTunnelInfo> EnsureOpenAsync(ILogger logger, CancellationToken cancellationToken, bool reopen = false)
    {
        ArgumentNullException.ThrowIfNull(logger);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!reopen && IsOpen && _info is not null) return _info;
            if (_client is not null)
            {
                if (!IsOpen) Log.SshTunnelLost(logger, Options.ToString(), Destination);
                Close();
            }
            _info = await OpenAsync(logger, cancellationToken);
            return _info;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the session and the local port; a later <see cref="EnsureOpenAsync"/> opens them again (same port).</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<SshTunnelInfo> OpenAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var (host, port, server) = (Options.Host, Options.Port, Options.ToString());
        var knownHosts = Options.CheckHostKey ? LoadKnownHosts() : null;
        var key = Options.OpenPrivateKey();
        var connection = new PrivateKeyConnectionInfo(host, port, Options.User, key) { Timeout = SshConnectFailures.ConnectTimeout };
        if (knownHosts is not null) OfferKnownKeyTypes(connection, knownHosts.KeyTypes(host, port));
        var client = new SshClient(connection) { KeepAliveInterval = s_keepAliveInterval };
        string? presented = null;
        var verdict = SshHostKeyVerdict.Trusted;
        client.HostKeyReceived += (_, e) =>
        {
            presented = $"{KeyType(e.HostKey)} SHA256:{e.FingerPrintSHA256}";
            verdict = knownHosts?.Verify(host, port, e.HostKey) ?? SshHostKeyVerdict.Trusted;
            e.CanTrust = verdict == SshHostKeyVerdict.Trusted;
        };
        client.ErrorOccurred += (_, e) => Log.SshSessionError(logger, server, e.Exception.Message);
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (Exception e)
        {
            client.Dispose();
            key.Dispose();
            if (e is OperationCanceledException || SshConnectFailures.Translate(e, Options, presented, verdict) is not { } translated) throw;
            throw translated;
        }

        var forward = new ForwardedPortLocal("127.0.0.1", (uint)_localPort, _databaseHost, (uint)_databasePort);
        client.AddForwardedPort(forward);
        forward.Exception += (_, e) => Log.SshForwardFailed(logger, Destination, server, e.Exception.Message);
        try
        {
            forward.Start();
        }
        catch (SocketException e)
        {
            client.Dispose();
            key.Dispose();
            throw new SshTunnelException(FailureKind.Transient, "ssh.*",
                $"ssh.*: cannot listen on 127.0.0.1:{_localPort} for the tunnel to {Destination}: {e.Message}", e);
        }
        (_client, _key, _forward, _localPort) = (client, key, forward, (int)forward.BoundPort);
        var info = new SshTunnelInfo(server, presented ?? "(none)", Options.CheckHostKey, Options.KnownHostsPath, _localPort, Destination);
        if (!Options.CheckHostKey) Log.SshHostKeyNotChecked(logger, SshTunnelOptions.HostKeyCheckKey, server, info.HostKey);
        Log.SshTunnelOpen(logger, info.Describe());
        return info;
    }

    SshKnownHosts LoadKnownHosts()
    {
        try
        {
            return SshKnownHosts.Load(Options.KnownHostsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SshTunnelException(FailureKind.Permanent, SshTunnelOptions.KnownHostsKey,
                $"{SshTunnelOptions.KnownHostsKey}: cannot read '{Options.KnownHostsPath}': {e.Message}", e);
        }
    }

    /// <summary>Offers the server only the host key algorithms of the key types known for it (none known: all).</summary>
    static void OfferKnownKeyTypes(ConnectionInfo connection, IReadOnlySet<string> keyTypes)
    {
        if (keyTypes.Count == 0) return;
        var offered = connection.HostKeyAlgorithms.Keys.Where(a => keyTypes.Contains(KeyTypeOfAlgorithm(a))).ToHashSet(StringComparer.Ordinal);
        if (offered.Count == 0) return;
        foreach (var algorithm in connection.HostKeyAlgorithms.Keys.Where(a => !offered.Contains(a)).ToList()) connection.HostKeyAlgorithms.Remove(algorithm);
    }

    static string KeyTypeOfAlgorithm(string algorithm) => algorithm is "rsa-sha2-256" or "rsa-sha2-512" ? "ssh-rsa" : algorithm;

    /// <summary>The key type named at the start of an SSH public key blob (a length-prefixed string).</summary>
    static string KeyType(byte[] blob)
    {
        if (blob.Length < 4) return "unknown";
        var length = BinaryPrimitives.ReadInt32BigEndian(blob);
        return length > 0 && length <= blob.Length - 4 ? System.Text.Encoding.ASCII.GetString(blob, 4, length) : "unknown";
    }

    void Close()
    {
        var (client, key, forward) = (_client, _key, _forward);
        (_client, _key, _forward, _info) = (null, null, null, null);
        forward?.Dispose();
        client?.Dispose();
        key?.Dispose();
    }
}
