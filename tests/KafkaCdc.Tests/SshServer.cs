using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KafkaCdc.Tests;

/// <summary>
/// A real OpenSSH server (Debian's openssh-server, <c>/usr/sbin/sshd</c>) for one test: run in the foreground on a free
/// port of 127.0.0.1 with its own config, host key, authorized keys and known_hosts in a temporary directory, touching
/// no system configuration. The user is the one running the tests (root here: <c>PermitRootLogin prohibit-password</c>),
/// keys only. It makes three client keys: <see cref="KeyPath"/> (ed25519, unencrypted, authorized),
/// <see cref="EncryptedKeyPath"/> (RSA in PEM, encrypted with <see cref="Passphrase"/>, authorized) and
/// <see cref="WrongKeyPath"/> (not authorized). <see cref="Kill"/> kills it and every session it forked (the tunnel
/// dropped mid-stream), <see cref="StartAsync"/> starts it again on the same port.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    const string Sshd = "/usr/sbin/sshd";
    const string KeyGen = "/usr/bin/ssh-keygen";

    readonly string _directory;
    readonly StringBuilder _output = new();
    Process? _process;

    SshServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The user to log in as: the one running the tests.</summary>
    public static string User => Environment.UserName;

    /// <summary>An authorized ed25519 key (OpenSSH format, no passphrase).</summary>
    public string KeyPath => Path.Combine(_directory, "client_ed25519");

    /// <summary>An authorized RSA key (PEM), encrypted with <see cref="Passphrase"/>.</summary>
    public string EncryptedKeyPath => Path.Combine(_directory, "client_rsa_encrypted");

    /// <summary>The passphrase of <see cref="EncryptedKeyPath"/>.</summary>
    public string Passphrase { get; } = "tunnel-pass-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A key the server does not accept.</summary>
    public string WrongKeyPath => Path.Combine(_directory, "wrong_ed25519");

    /// <summary>A known_hosts file with the server's host key under <c>[127.0.0.1]:port</c>.</summary>
    public string KnownHostsPath => Path.Combine(_directory, "known_hosts");

    /// <summary>A known_hosts file with another key for the server (as after the server's key changed).</summary>
    public string OtherKnownHostsPath => Path.Combine(_directory, "known_hosts_other");

    /// <summary>What sshd wrote (it logs to stderr with <c>-e</c>), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>The <c>ssh.*</c> keys that reach the database through this server with <see cref="KeyPath"/>.</summary>
    public Dictionary<string, string> TunnelConfig() => new()
    {
        ["ssh.enabled"] = "true",
        ["ssh.host"] = "127.0.0.1",
        ["ssh.port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ssh.user"] = User,
        ["ssh.private.key"] = KeyPath,
        ["ssh.known.hosts"] = KnownHostsPath,
    };

    /// <summary>Makes the keys and files and starts sshd on a free port.</summary>
    public static async Task<SshServer> StartNewAsync()
    {
        if (!File.Exists(Sshd)) Assert.Fail($"{Sshd} is missing: install openssh-server (scripts/bootstrap.sh does)");
        var directory = Directory.CreateTempSubdirectory("kafkacdc-sshd-").FullName;
        var server = new SshServer(directory, FreePort());
        try
        {
            await server.WriteFilesAsync();
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts sshd (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("sshd is running already");
        // sshd started as root wants its privilege separation directory; Debian's service would create it.
        if (Environment.UserName == "root") Directory.CreateDirectory("/run/sshd");
        var start = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", Path.Combine(_directory, "sshd_config") }) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await Poll.UntilAsync(async () =>
        {
            if (process.HasExited) Assert.Fail($"sshd exited with {process.ExitCode}:\n{Output}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), () => $"sshd to listen on 127.0.0.1:{Port}; its output:\n{Output}");
    }

    /// <summary>Kills sshd and every session process it forked: open tunnels drop at once.</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.Yield();
        Directory.Delete(_directory, recursive: true);
    }

    async Task WriteFilesAsync()
    {
        await KeyGenAsync("-t", "ed25519", "-N", "", "-f", Path.Combine(_directory, "host_ed25519"));
        await KeyGenAsync("-t", "ed25519", "-N", "", "-f", Path.Combine(_directory, "other_host_ed25519"));
        await KeyGenAsync("-t", "ed25519", "-N", "", "-f", KeyPath);
        await KeyGenAsync("-t", "rsa", "-b", "2048", "-m", "PEM", "-N", Passphrase, "-f", EncryptedKeyPath);
        await KeyGenAsync("-t", "ed25519", "-N", "", "-f", WrongKeyPath);
        await File.WriteAllTextAsync(Path.Combine(_directory, "authorized_keys"),
            await File.ReadAllTextAsync(KeyPath + ".pub") + await File.ReadAllTextAsync(EncryptedKeyPath + ".pub"));
        var name = $"[127.0.0.1]:{Port}";
        await File.WriteAllTextAsync(KnownHostsPath, $"{name} {await PublicKeyAsync("host_ed25519")}\n");
        await File.WriteAllTextAsync(OtherKnownHostsPath, $"{name} {await PublicKeyAsync("other_host_ed25519")}\n");
        await File.WriteAllLinesAsync(Path.Combine(_directory, "sshd_config"),
        [
            $"Port {Port}",
            "ListenAddress 127.0.0.1",
            $"HostKey {Path.Combine(_directory, "host_ed25519")}",
            $"AuthorizedKeysFile {Path.Combine(_directory, "authorized_keys")}",
            "StrictModes no", // the files are in a temporary directory whose modes sshd would refuse
            "PidFile none",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "AllowTcpForwarding yes",
            "X11Forwarding no",
            "PrintMotd no",
            "LogLevel VERBOSE",
        ]);
    }

    async Task<string> PublicKeyAsync(string file)
    {
        var fields = (await File.ReadAllTextAsync(Path.Combine(_directory, file + ".pub"))).Split(' ');
        return $"{fields[0]} {fields[1].Trim()}";
    }

    /// <summary>Runs <c>ssh-keygen -q</c> with <paramref name="arguments"/> (makes a key pair: <c>-t TYPE -N PASSPHRASE -f FILE</c>).</summary>
    public static async Task KeyGenAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(KeyGen) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) Assert.Fail($"ssh-keygen -f {arguments[^1]} failed: {await error}");
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
