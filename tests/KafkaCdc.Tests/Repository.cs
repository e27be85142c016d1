namespace KafkaCdc.Tests;

/// <summary>The repository the tests run from, found upwards from the test output directory.</summary>
public static class Repository
{
    static readonly Lazy<string> s_root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "KafkaCdc.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no KafkaCdc.sln above {AppContext.BaseDirectory}");
    });

    /// <summary>The directory holding KafkaCdc.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>The full path of a file of the repository; fails when it does not exist.</summary>
    public static string File(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"{relativePath} not found in {Root}", path);
    }
}
