using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace KafkaCdc.Tests;

/// <summary>
/// Whether a Docker engine answers, found the way Testcontainers finds it, so that the run uses containers exactly where
/// Testcontainers can start them: <c>~/.testcontainers.properties</c> and <c>TESTCONTAINERS_*</c> variables,
/// <c>DOCKER_HOST</c> (with <c>DOCKER_TLS_VERIFY</c>/<c>DOCKER_CERT_PATH</c>), the Docker CLI's current context,
/// <c>/var/run/docker.sock</c>, Docker Desktop's and rootless Docker's sockets; the first that answers a ping wins.
/// </summary>
/// <param name="Reachable">Whether an engine answered.</param>
/// <param name="Description">Where it answered (<c>Docker at unix:///var/run/docker.sock</c>), or why none did.</param>
public sealed record DockerEngine(bool Reachable, string Description)
{
    static readonly System.Text.RegularExpressions.Regex s_unixEndpoint = new("'unix://([^']+)'");

    /// <summary>
    /// How long the probe may take. A local engine answers in milliseconds and a missing socket fails at once; this
    /// bounds only an endpoint that takes connections and never answers (a dead <c>tcp://</c> <c>DOCKER_HOST</c>).
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Asks Testcontainers' endpoint detection, giving up after <paramref name="timeout"/>.</summary>
    public static Task<DockerEngine> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        ProbeAsync(AskTestcontainers, timeout, cancellationToken);

    /// <summary>Runs <paramref name="detect"/> (which may block) on the thread pool, giving up after <paramref name="timeout"/>.</summary>
    internal static async Task<DockerEngine> ProbeAsync(Func<DockerEngine> detect, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Testcontainers pings every candidate endpoint synchronously, once per process, in a static initializer: a
        // detection that outlives the timeout keeps running in the background, and the run goes on without containers.
        var detection = Task.Run(detect, CancellationToken.None);
        try
        {
            return await detection.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            return new DockerEngine(false,
                $"no Docker engine answered within {timeout.TotalSeconds:0.#}s{(string.IsNullOrEmpty(host) ? "" : $" (DOCKER_HOST={host})")}");
        }
    }

    static DockerEngine AskTestcontainers()
    {
        IDockerEndpointAuthenticationConfiguration? endpoint;
        try
        {
            endpoint = TestcontainersSettings.OS.DockerEndpointAuthConfig;
        }
        catch (TypeInitializationException e)
        {
            // E.g. DOCKER_CONTEXT or ~/.docker/config.json naming a context that does not exist.
            return new DockerEngine(false, $"Testcontainers could not read the Docker configuration: {(e.InnerException ?? e).Message}");
        }
        return endpoint is not null
            ? new DockerEngine(true, $"Docker at {endpoint.Endpoint}")
            : new DockerEngine(false, $"no Docker engine reachable: {WhyNoEndpoint()}");
    }

    /// <summary>One candidate's failure: Testcontainers' message, with the socket's absence said plainly.</summary>
    internal static string DescribeFailure(Exception failure)
    {
        var message = failure.Message.TrimEnd('.');
        // A missing unix socket reads "Cannot assign requested address" or "No such file or directory", depending on the runtime.
        if (s_unixEndpoint.Match(message) is { Success: true } unix && !File.Exists(unix.Groups[1].Value))
            return $"{message} (no such socket)";
        return failure.InnerException is null ? message : $"{message} ({Innermost(failure).Message.TrimEnd('.')})";
    }

    /// <summary>
    /// Testcontainers keeps each candidate's failure to itself and reports them all when a resource is built without an
    /// endpoint: building one (nothing is sent to Docker) is how to read them.
    /// </summary>
    static string WhyNoEndpoint()
    {
        try
        {
            _ = new NetworkBuilder().Build();
            return "Testcontainers found no endpoint";
        }
        catch (DockerUnavailableException e) when (e.InnerException is AggregateException { InnerExceptions.Count: > 0 } failures)
        {
            // Several candidates can name the same endpoint (the default socket, and the default Docker context).
            return string.Join("; ", failures.InnerExceptions.Select(DescribeFailure).Distinct());
        }
        catch (DockerUnavailableException e)
        {
            return e.Message.Split('\n')[0].Trim();
        }
    }

    static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
