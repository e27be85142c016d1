using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// Binds KafkaCdc's own P/Invoke declarations (librdkafka's conf and mock cluster APIs, which Confluent.Kafka
/// does not wrap) to the very librdkafka that Confluent.Kafka loaded, so that the process holds one copy of
/// the native library and handles can be shared between the two.
/// </summary>
/// <remarks>
/// Confluent.Kafka is made to load its library first; on Linux the path it mapped is read from
/// <c>/proc/self/maps</c>. Elsewhere, or if that fails, the <c>runtimes/{rid}/native</c> folder next to the
/// application and next to Confluent.Kafka.dll is tried, then the runtime's default probing.
/// </remarks>
public static class LibrdkafkaLibrary
{
    /// <summary>The library name used in <see cref="DllImportAttribute"/> declarations.</summary>
    public const string ImportName = "librdkafka";

    static readonly Lazy<(IntPtr Handle, string Path)> s_library = new(Load);
    static readonly HashSet<Assembly> s_boundAssemblies = [];

    /// <summary>The native handle of the loaded librdkafka (loading it on first use).</summary>
    public static IntPtr Handle => s_library.Value.Handle;

    /// <summary>The file the handle was loaded from, for diagnostics.</summary>
    public static string Path => s_library.Value.Path;

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

    static (IntPtr, string) Load()
    {
        // Makes Confluent.Kafka load (and version-check) its librdkafka before we look for it.
        _ = Library.Version;

        var candidates = new List<string>();
        if (OperatingSystem.IsLinux()) candidates.AddRange(MappedLibrdkafkaPaths());
        var rid = RuntimeInformation.RuntimeIdentifier;
        var nativeFile = OperatingSystem.IsWindows() ? "librdkafka.dll" : OperatingSystem.IsMacOS() ? "librdkafka.dylib" : "librdkafka.so";
        foreach (var directory in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(typeof(Library).Assembly.Location) })
        {
            if (string.IsNullOrEmpty(directory)) continue;
            candidates.Add(System.IO.Path.Combine(directory, "runtimes", rid, "native", nativeFile));
            candidates.Add(System.IO.Path.Combine(directory, "runtimes", "linux-x64", "native", nativeFile));
        }

        foreach (var candidate in candidates.Distinct())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return (handle, candidate);
        }
        if (NativeLibrary.TryLoad(ImportName, typeof(Library).Assembly, null, out var fallback)) return (fallback, ImportName);
        throw new DllNotFoundException(
            $"librdkafka could not be located (looked in: {string.Join(", ", candidates.Distinct())}); " +
            "run scripts/bootstrap.sh and rebuild so that runtimes/*/native/librdkafka.so is next to the application");
    }

    static IEnumerable<string> MappedLibrdkafkaPaths()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var line in lines)
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            if (System.IO.Path.GetFileName(path).StartsWith("librdkafka.so", StringComparison.Ordinal)) yield return path;
        }
    }
}
