using System.Globalization;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Builds the location of a value inside a datum, such as <c>Value.after.items[3].name</c>, from the innermost
/// segment outwards: encoders and decoders only pay for it when something failed, while the error unwinds.
/// </summary>
internal static class DatumPath
{
    public static string PrependField(string path, string field) =>
        path.Length == 0 ? field : path[0] == '[' ? field + path : field + "." + path;

    public static string PrependIndex(string path, long index) =>
        Join("[" + index.ToString(CultureInfo.InvariantCulture) + "]", path);

    public static string PrependKey(string path, string key) => Join("[\"" + key + "\"]", path);

    private static string Join(string segment, string path) =>
        path.Length == 0 || path[0] == '[' ? segment + path : segment + "." + path;
}
