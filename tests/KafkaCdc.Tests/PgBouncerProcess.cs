using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using KafkaCdc.DevStack;

namespace KafkaCdc.Tests;

/// <summary>
/// A real PgBouncer (Debian's <c>pgbouncer</c>, installed by scripts/bootstrap.sh) in front of a PostgreSQL server, in
/// the foreground on a free loopback port with an ini of its own: every database name forwarded to the server,
/// <c>auth_type=scram-sha-256</c> against a user list holding the given users' passwords (PgBouncer logs in to the
/// server with them), a small server pool, <c>server_reset_query</c> empty. With <c>pool_mode=transaction</c> each
/// transaction gets whichever server session is free, so session state one client leaves behind is seen by others.
/// Stopped, and its directory deleted, on <see cref="DisposeAsync"/>; it also stops when this process dies (a shell
/// around it ends it when its standard input closes).
/// </summary>
/// <remarks>
/// PgBouncer refuses to run as root: when this process is root it runs as the <c>postgres</c> OS user (through
/// <c>runuser</c>, like <c>TemporaryPostgres</c> does for <c>pg_ctl</c>), in a directory that user owns.
/// </remarks>
internal sealed class PgBouncerProcess : IAsyncDisposable
{
    /// <summary>Where Debian installs it.</summary>
    public const string Binary = "/usr/sbin/pgbouncer";

    readonly Process _process;
    readonly string _directory;
    readonly StringBuilder _output = new();

    PgBouncerProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>What it logged so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>
    /// Starts PgBouncer in front of <paramref name="serverHost"/>:<paramref name="serverPort"/> for
    /// <paramref name="users"/>, with at most <paramref name="poolSize"/> server sessions per database and user, and
    /// waits until it accepts connections.
    /// </summary>
    public static async Task<PgBouncerProcess> StartAsync(string serverHost, int serverPort, IReadOnlyList<(string User, string Password)> users,
        string poolMode = "transaction", int poolSize = 2)
    {
        if (!File.Exists(Binary))
            Assert.Fail($"{Binary} is missing: install Debian's pgbouncer (scripts/bootstrap.sh does)");
        var asPostgres = Environment.UserName == "root";
        var directory = Directory.CreateTempSubdirectory("kafkacdc-pgbouncer-").FullName;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = LocalPorts.Free();
                await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), $"""
                    [databases]
                    * = host={serverHost} port={serverPort}

                    [pgbouncer]
                    listen_addr = 127.0.0.1
                    listen_port = {port}
                    unix_socket_dir =
                    auth_type = scram-sha-256
                    auth_file = {Path.Combine(directory, "userlist.txt")}
                    pool_mode = {poolMode}
                    default_pool_size = {poolSize}
                    min_pool_size = 0
                    reserve_pool_size = 0
                    server_reset_query =
                    logfile =
                    pidfile =
                    """);
                var userList = Path.Combine(directory, "userlist.txt");
                await File.WriteAllLinesAsync(userList, users.Select(u => $"\"{u.User}\" \"{u.Password.Replace("\"", "\"\"")}\""));
                await RunAsync("chmod", "600", userList); // passwords
                if (asPostgres) await RunAsync("chown", "-R", "postgres:postgres", directory);

                var start = new ProcessStartInfo(asPostgres ? "runuser" : "sh")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                if (asPostgres)
                {
                    foreach (var a in new[] { "-u", "postgres", "--", "sh" }) start.ArgumentList.Add(a);
                }
                // The shell ends PgBouncer when its standard input closes: at DisposeAsync, or when this process dies
                // without disposing (a crashed test host would otherwise leave it running).
                foreach (var a in new[] { "-c", "\"$0\" \"$1\" & read -r _; kill $!; wait", Binary, Path.Combine(directory, "pgbouncer.ini") })
                    start.ArgumentList.Add(a);
                var bouncer = new PgBouncerProcess(Process.Start(start)!, directory, port);
                if (await bouncer.WaitUntilListeningAsync()) return bouncer;
                var output = bouncer.Output;
                await bouncer.StopAsync();
                if (!output.Contains("Address already in use", StringComparison.Ordinal) || attempt == 3)
                    Assert.Fail($"pgbouncer did not start listening on port {port}: {output}");
            }
        }
        catch
        {
            TryDeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>Kills it and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TryDeleteDirectory(_directory);
    }

    async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // runuser does not pass SIGKILL on: the tree, pgbouncer included.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    /// <summary>Until it accepts a connection (true) or exits (false: the port was taken, say).</summary>
    async Task<bool> WaitUntilListeningAsync()
    {
        var listening = false;
        await Poll.UntilAsync(async () => _process.HasExited || (listening = await AcceptsAsync()), TimeSpan.FromSeconds(20),
            () => $"pgbouncer to listen on port {Port}; its output: {Output}");
        return listening;
    }

    async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}");
    }

    static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
