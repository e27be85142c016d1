using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// The one place that loads librdkafka: it picks the native file, resolves Confluent.Kafka's P/Invokes to it and binds KafkaCdc's own P/Invoke declarations (librdkafka's conf and mock
/// cluster APIs, which Confluent.Kafka does not wrap) to the same handle, so the process holds one copy of the library
/// and handles can be shared between the two.
/// </summary>
/// <remarks>
/// <para>
/// Candidates, in Confluent.Kafka's own order: the file named by <see cref="PathVariable"/> alone when it is set (a
/// system librdkafka, say); otherwise every variant <c>librdkafka.redist</c> ships for the platform under
/// <c>runtimes/{rid}/native/</c> next to the application and next to Confluent.Kafka.dll: on glibc Linux
/// <c>librdkafka.so</c> then <c>centos8-librdkafka.so</c> (the first needs <c>libsasl2.so.3</c>, which Debian 12 and
/// Ubuntu lack; the second loads there), on musl Linux <c>alpine-librdkafka.so</c> first. The first that loads wins.
/// When none does, the <see cref="DllNotFoundException"/> names every path tried with the loader's reason.
/// </para>
/// <para>
/// When Confluent.Kafka has already loaded its library (something created a client before <see cref="Load"/> ran),
/// the file it mapped is read from <c>/proc/self/maps</c> and used, so there is still one copy.
/// </para>
/// </remarks>
public static class LibrdkafkaLibrary
{
    /// <summary>The library name used in <see cref="DllImportAttribute"/> declarations.</summary>
    public const string ImportName = "librdkafka";

    /// <summary>The environment variable that names a librdkafka file to use instead of the packaged ones.</summary>
    public const string PathVariable = "KCDC_LIBRDKAFKA_PATH";

    static readonly Lazy<(IntPtr Handle, string Path)> s_library = new(LoadOnce);
    static readonly HashSet<Assembly> s_boundAssemblies = [];

    /// <summary>The native handle of the loaded librdkafka (loading it on first use).</summary>
    public static IntPtr Handle => s_library.Value.Handle;

    /// <summary>The file the handle was loaded from, for diagnostics.</summary>
    public static string Path => s_library.Value.Path;

    /// <summary>
    /// Loads librdkafka now (idempotent) and returns the file it came from. Programs call it at start-up, before
    /// the first Kafka client, so that a missing library is reported at once with every reason.
    /// </summary>
    /// <exception cref="DllNotFoundException">No candidate loaded; the message names each path and why.</exception>
    public static string Load() => Path;

    /// <summary>
    /// Resolves <see cref="ImportName"/> in <paramref name="assembly"/>'s P/Invoke declarations to
    /// <see cref="Handle"/>. Idempotent; call it before the first native call (e.g. from a static constructor).
    /// </summary>
    public static void BindImports(Assembly assembly)
    {
        lock (s_boundAssemblies)
        {
            if (!s_boundAssemblies.Add(assembly)) return;
            NativeLibrary.SetDllImportResolver(assembly,
                (name, _, _) => name == ImportName ? Handle : IntPtr.Zero);
        }
    }

    /// <summary>
    /// The files to try, in order: <paramref name="overridePath"/> alone when given, else each packaged variant for
    /// this platform under each of <paramref name="directories"/>.
    /// </summary>
    internal static IReadOnlyList<string> Candidates(string? overridePath, IEnumerable<string?> directories, bool isMusl)
    {
        if (!string.IsNullOrWhiteSpace(overridePath)) return [overridePath];
        var rid = RuntimeInformation.RuntimeIdentifier;
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] files;
        string[] ridFolders;
        if (OperatingSystem.IsWindows())
        {
            files = ["librdkafka.dll"];
            ridFolders = [rid, $"win-{architecture}"];
        }
        else if (OperatingSystem.IsMacOS())
        {
            files = ["librdkafka.dylib"];
            ridFolders = [rid, $"osx-{architecture}"];
        }
        else
        {
            files = isMusl
                ? ["alpine-librdkafka.so", "librdkafka.so", "centos8-librdkafka.so"]
                : ["librdkafka.so", "centos8-librdkafka.so"];
            ridFolders = [rid, $"linux-{architecture}"];
        }
        var candidates = new List<string>();
        foreach (var directory in directories)
        {
            if (string.IsNullOrEmpty(directory)) continue;
            foreach (var folder in ridFolders.Distinct())
            {
                foreach (var file in files) candidates.Add(System.IO.Path.Combine(directory, "runtimes", folder, "native", file));
            }
        }
        return [.. candidates.Distinct()];
    }

    static (IntPtr, string) LoadOnce()
    {
        // Something used Confluent.Kafka before this ran: use the very file it mapped, so there is still one copy.
        if (Library.IsLoaded && OperatingSystem.IsLinux() && MappedLibrdkafkaPaths().FirstOrDefault() is { } mapped)
            return (NativeLibrary.Load(mapped), mapped);

        var overridePath = Environment.GetEnvironmentVariable(PathVariable);
        var candidates = Candidates(overridePath,
            [AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(typeof(Library).Assembly.Location)], IsMusl());
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate))
            {
                failures.Add($"{candidate}: no such file");
                continue;
            }
            IntPtr handle;
            try
            {
                handle = NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException e)
            {
                failures.Add($"{candidate}: {LoaderReason(e, candidate)}");
                continue;
            }
            // Confluent.Kafka's own P/Invokes ("librdkafka", then "centos8-librdkafka"...) resolve to this handle too.
            // (Its Library.Load(path) is no way to do this: it P/Invokes "libdl", which only a -dev package provides.)
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly,
                (name, _, _) => IsLibrdkafkaFile(name + ".so") ? handle : IntPtr.Zero);
            return (handle, candidate);
        }
        var fromOverride = !string.IsNullOrWhiteSpace(overridePath);
        throw new DllNotFoundException(
            $"librdkafka could not be loaded from {(fromOverride ? $"the file named by {PathVariable}" : "the librdkafka.redist package's files next to the application")}. " +
            $"Tried: {string.Join("; ", failures)}. " +
            (fromOverride
                ? $"Point {PathVariable} at a loadable librdkafka 2.x, or unset it to use the packaged ones."
                : $"Install the missing system libraries, or set {PathVariable} to a librdkafka 2.x built for this system."));
    }

    /// <summary>The dynamic loader's own words from .NET's message (the missing dependency, usually).</summary>
    static string LoaderReason(DllNotFoundException e, string candidate)
    {
        var message = e.Message;
        var at = message.LastIndexOf(candidate + ":", StringComparison.Ordinal);
        return (at >= 0 ? message[(at + candidate.Length + 1)..] : message).Trim();
    }

    static bool IsMusl()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return File.ReadAllText("/etc/os-release").Contains("alpine", StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The librdkafka files mapped into this process (any variant's name), from <c>/proc/self/maps</c>.</summary>
    internal static IEnumerable<string> MappedLibrdkafkaPaths()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            return [];
        }
        return lines
            .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..] : "")
            .Where(path => IsLibrdkafkaFile(System.IO.Path.GetFileName(path)))
            .Distinct();
    }

    /// <summary>True for the file names librdkafka variants go by: <c>librdkafka.so</c>, <c>librdkafka.so.1</c>, <c>centos8-librdkafka.so</c>...</summary>
    internal static bool IsLibrdkafkaFile(string fileName) =>
        fileName.StartsWith("librdkafka.", StringComparison.Ordinal) ||
        (fileName.Contains("-librdkafka.", StringComparison.Ordinal) && !fileName.Contains("librdkafkacpp", StringComparison.Ordinal));
}
