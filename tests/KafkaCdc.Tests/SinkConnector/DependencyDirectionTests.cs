using System.Text.RegularExpressions;

namespace KafkaCdc.Tests.SinkConnector;

/// <summary>
/// The sink's folders depend one way: each may use only the folders before it in <see cref="s_order"/> (the order of
/// src/SinkConnector/README.md). Read from the source's <c>using KafkaCdc.SinkConnector.X;</c> lines and qualified
/// references (<c>KafkaCdc.SinkConnector.X.Type</c>, <c>X.Type</c>, also in XML doc references), so a backward import
/// fails here naming the file, the line and the reference, before anyone reads the code.
/// </summary>
public partial class DependencyDirectionTests
{
    /// <summary>
    /// Lowest first. Configuration, Errors and Monitoring are used by every stage; then the stages in the order records
    /// go through them, each built on what it receives (decoded records, batches) and on the destination database; the
    /// folders that wire everything come last. Files directly in src/SinkConnector (SinkWorker, SinkProgram) come after
    /// all of them; <c>Log</c>, there too, is reached without an import and is not checked.
    /// </summary>
    static readonly string[] s_order =
    [
        "Configuration", "Errors", "Monitoring", "Decoding", "DeadLetters", "Batching", "Destination", "Committing", "Applying",
        "Consuming", "Hosting",
    ];

    static readonly string s_source = Path.Combine(Repository.Root, "src", "SinkConnector");

    [Test]
    public void EverySinkFolder_HasAPlaceInTheOrder()
    {
        var folders = Directory.GetDirectories(s_source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        Assert.That(folders, Is.EquivalentTo(s_order), "the folders of src/SinkConnector and the order of DependencyDirectionTests (and the README) must list the same folders");
    }

    [Test]
    public void EverySinkReference_PointsDownTheOrder()
    {
        var files = SourceFiles().ToList();
        var references = files.SelectMany(References).ToList();
        var backward = references.Where(r => Rank(r.Target) >= Rank(r.From) && r.Target != r.From)
            .Select(r => $"{r.File}:{r.Line}: {r.From} uses {r.Target} ({r.Text}), which is not before it in {string.Join(" < ", s_order)} < {Root}")
            .ToList();

        Assert.That(files, Has.Count.GreaterThan(50), $"found only {files.Count} source files under {s_source}");
        Assert.That(references.Where(r => r.From == "Applying" && r.Target == "Destination"), Is.Not.Empty, "the reader found no import at all: is it still reading the source?");
        Assert.That(backward, Is.Empty, "backward dependencies between sink folders");
    }

    static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(s_source, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(s_source, f).Split(Path.DirectorySeparatorChar) is not ["bin" or "obj", ..]);

    const string Root = "(root)";

    /// <summary>The folder of <paramref name="path"/>, or <see cref="Root"/> for a file of src/SinkConnector itself.</summary>
    static string FolderOf(string path) =>
        Path.GetRelativePath(s_source, path).Split(Path.DirectorySeparatorChar) is [var folder, _, ..] ? folder : Root;

    /// <summary>A folder's place in <see cref="s_order"/>; the root after all of them, and an unknown folder too (the other test names it).</summary>
    static int Rank(string folder) => Array.IndexOf(s_order, folder) is >= 0 and var rank ? rank : s_order.Length;

    static IEnumerable<Reference> References(string path)
    {
        var from = FolderOf(path);
        var file = Path.GetRelativePath(Repository.Root, path);
        var lines = Code(File.ReadAllText(path)).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("namespace ", StringComparison.Ordinal)) continue;
            foreach (Match match in QualifiedReference().Matches(line))
            {
                var target = match.Groups["folder"].Value;
                // X.Type only counts where X is a sink folder (the namespace KafkaCdc.SinkConnector.X is what C# finds first).
                if (Array.IndexOf(s_order, target) < 0) continue;
                yield return new Reference(file, i + 1, from, target, match.Value.Trim());
            }
        }
    }

    /// <summary>
    /// The source without what cannot reference a type: comments other than XML doc references, and the contents of
    /// string literals (SQL, messages). Line breaks are kept, so line numbers stay right.
    /// </summary>
    static string Code(string source)
    {
        var code = RawString().Replace(source, m => new string('\n', m.Value.Count(c => c == '\n')));
        code = DocComment().Replace(code, m => string.Concat(CrefValue().Matches(m.Value).Select(c => $" {c.Groups[1].Value} ")));
        code = StringLiteral().Replace(code, "\"\"");
        return LineComment().Replace(code, "");
    }

    [GeneratedRegex("\"\"\"[\\s\\S]*?\"\"\"")]
    private static partial Regex RawString();

    [GeneratedRegex("///.*")]
    private static partial Regex DocComment();

    [GeneratedRegex("cref=\"([^\"]+)\"")]
    private static partial Regex CrefValue();

    [GeneratedRegex("//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex("@\"(?:[^\"]|\"\")*\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    /// <summary><c>using KafkaCdc.SinkConnector.X;</c> (plain, static or aliased), <c>KafkaCdc.SinkConnector.X.Type</c>, or <c>X.Type</c>.</summary>
    [GeneratedRegex(@"(?<![\w.])(?:global::)?(?:KafkaCdc\.SinkConnector\.)?(?<folder>[A-Z]\w*)(?:\.[A-Z]\w*|;)")]
    private static partial Regex QualifiedReference();

    sealed record Reference(string File, int Line, string From, string Target, string Text);
}
