using System.Reflection;

namespace KafkaCdc.Shared;

/// <summary>The product version, as carried in the <c>source.version</c> field of change events.</summary>
public static class KafkaCdcVersion
{
    /// <summary>The informational version of the KafkaCdc assemblies.</summary>
    public static string Current { get; } =
        typeof(KafkaCdcVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
