using System.Diagnostics;
using System.Security.Cryptography;

namespace KafkaCdc.DevStack.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for local runs and tests: <c>initdb</c> in a temporary directory, a free
/// port on 127.0.0.1, <c>wal_level=logical</c>, password authentication for TCP connections. Dropped with
/// its data directory on <see cref="DisposeAsync"/>. With a <see cref="TemporaryPostgresTls"/> it also accepts TLS
/// (<c>ssl=on</c>) and client certificates. <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> take it down (in a
/// <see cref="PostgresShutdownMode"/>) and up again with its data and port, for tests of a server outage.
/// </summary>
/// <remarks>
/// initdb and pg_ctl refuse to run as root, so when this process is root the server runs as the
/// <c>postgres</c> OS user (through <c>runuser</c>) in a directory that user owns.
/// Durability settings are relaxed (<c>fsync=off</c>): the data is disposable.
/// </remarks>
public sealed class TemporaryPostgres : IAsyncDisposable
{
    /// <summary>The superuser created by initdb.</summary>
    public const string SuperUser = "postgres";

    readonly string _directory;
    readonly string _binDirectory;
    readonly bool _runAsPostgresUser;
    readonly bool _tls;

    TemporaryPostgres(string directory, string binDirectory, bool runAsPostgresUser, bool tls, int port, string password)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        _runAsPostgresUser = runAsPostgresUser;
        _tls = tls;
        Port = port;
        Password = password;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The password of <see cref="SuperUser"/>, generated per server.</summary>
    public string Password { get; }

    /// <summary>An Npgsql connection string for the superuser and the <c>postgres</c> database.</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Password={Password};Database=postgres;SSL Mode=Disable";

    string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Creates and starts a server. Retries on another port if the chosen one was taken meanwhile.</summary>
    public static Task<TemporaryPostgres> StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, cancellationToken);

    /// <summary>Creates and starts a server, with TLS when <paramref name="tls"/> is given.</summary>
    public static async Task<TemporaryPostgres> StartAsync(TemporaryPostgresTls? tls, CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory();
        var runAsPostgresUser = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        var directory = Directory.CreateTempSubdirectory("kafkacdc-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        try
        {
            var passwordFile = Path.Combine(directory, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password + "\n", cancellationToken);
            if (tls is not null) CopyTlsFiles(tls, directory);
            if (runAsPostgresUser)
                await RunAsync("chown", ["-R", "postgres:postgres", directory], asPostgres: false, cancellationToken);

            var server = new TemporaryPostgres(directory, binDirectory, runAsPostgresUser, tls is not null, LocalPorts.Free(), password);
            await server.RunToolAsync("initdb",
                ["-D", server.DataDirectory, "-U", SuperUser, "--pwfile", passwordFile, "--auth-local=trust",
                 "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], cancellationToken);
            File.Delete(passwordFile);
            if (tls is { HbaLines.Count: > 0 })
            {
                // Rewriting the existing file keeps its owner (the server's OS user); the first matching line wins.
                var hba = Path.Combine(server.DataDirectory, "pg_hba.conf");
                await File.WriteAllTextAsync(hba, string.Join('\n', tls.HbaLines) + "\n" + await File.ReadAllTextAsync(hba, cancellationToken), cancellationToken);
            }

            for (var attempt = 1; ; attempt++)
            {
                var candidate = attempt == 1 ? server : new TemporaryPostgres(directory, binDirectory, runAsPostgresUser, tls is not null, LocalPorts.Free(), password);
                try
                {
                    await candidate.StartServerAsync(cancellationToken);
                    return candidate;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // Most likely the port was taken between choosing and binding it: choose again.
                }
            }
        }
        catch
        {
            TryDeleteDirectory(directory);
            throw;
        }
    }

    Task StartServerAsync(CancellationToken cancellationToken)
    {
        var options = string.Join(' ',
            $"-p {Port}", "-c listen_addresses=127.0.0.1", $"-k {_directory}",
            "-c wal_level=logical", "-c max_replication_slots=64", "-c max_wal_senders=64",
            "-c max_connections=300", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c wal_sender_timeout=0");
        if (_tls)
        {
            options += $" -c ssl=on -c ssl_cert_file={Path.Combine(_directory, "server.crt")} -c ssl_key_file={Path.Combine(_directory, "server.key")}";
            if (File.Exists(Path.Combine(_directory, "ca.crt"))) options += $" -c ssl_ca_file={Path.Combine(_directory, "ca.crt")}";
        }
        return RunToolAsync("pg_ctl",
            ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", "60", "start"],
            cancellationToken);
    }

    /// <summary>Copies the TLS files into the server's directory: the key readable by its owner only, as PostgreSQL demands.</summary>
    static void CopyTlsFiles(TemporaryPostgresTls tls, string directory)
    {
        File.Copy(tls.CertificateFile, Path.Combine(directory, "server.crt"));
        var key = Path.Combine(directory, "server.key");
        File.Copy(tls.KeyFile, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (tls.CaFile is not null) File.Copy(tls.CaFile, Path.Combine(directory, "ca.crt"));
    }

    /// <summary>
    /// Stops the server with <paramref name="mode"/>, keeping its data directory and port for <see cref="StartAgainAsync"/>
    /// (a test's outage of the server). Waits up to 60 s for it to stop.
    /// </summary>
    public Task StopAsync(PostgresShutdownMode mode, CancellationToken cancellationToken = default) =>
        RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", mode.ToString().ToLowerInvariant(), "-w", "-t", "60", "stop"], cancellationToken);

    /// <summary>
    /// Starts the server stopped by <see cref="StopAsync"/> again, on the same data directory and port (after an
    /// immediate stop, PostgreSQL replays its WAL first); returns once it accepts connections.
    /// </summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    /// <summary>Stops the server immediately and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(PostgresShutdownMode.Immediate, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped; the directory still goes.
        }
        TryDeleteDirectory(_directory);
    }

    /// <summary>The server's log so far, for diagnosing a failed test.</summary>
    public string ReadServerLog()
    {
        var path = Path.Combine(_directory, "server.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_binDirectory, tool), arguments, _runAsPostgresUser, cancellationToken);

    static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("KCDC_PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install postgresql-15 " +
            "(scripts/bootstrap.sh does) or set KCDC_PG_BIN to the directory holding initdb and pg_ctl");
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
