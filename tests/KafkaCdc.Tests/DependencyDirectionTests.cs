using System.Text.RegularExpressions;

namespace KafkaCdc.Tests;

/// <summary>
/// Each connector's folders depend one way: a folder may use only the folders before it in its project's order (the
/// order of the project README). Read from the code's <c>using KafkaCdc.{Project}.X;</c> lines and qualified references
/// (<c>KafkaCdc.{Project}.X.Type</c>, <c>X.Type</c>, also in XML doc references), so a backward import fails here naming
/// the file, the line and the reference, before anyone reads the code.
/// </summary>
[TestFixtureSource(nameof(Projects))]
public partial class DependencyDirectionTests(DependencyDirectionTests.ProjectOrder project)
{
    /// <summary>A connector project, its folders lowest first, and one import known to exist (proof the reader reads).</summary>
    public sealed record ProjectOrder(string Name, string[] Order, (string From, string To) KnownImport)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    public static IEnumerable<ProjectOrder> Projects() =>
    [
        // Configuration, Errors and Monitoring are used by every stage; then the stages in the order records go through
        // them, each built on what it receives (decoded records, batches) and on the destination database; the folders
        // that wire everything come last.
        new("SinkConnector",
            ["Configuration", "Errors", "Monitoring", "Decoding", "DeadLetters", "Batching", "Destination", "Committing", "Applying",
             "Consuming", "Hosting"],
            ("Applying", "Destination")),
        // Configuration (with the capture and topic rules derived from it), Status and Checkpointing are used by every
        // stage (every event carries the TransactionProgress it counts towards); then the stages in flow order. Snapshots
        // comes before Replication because the stream reader drives the incremental snapshotter; Check reads everything.
        new("SourceConnector",
            ["Configuration", "Status", "Checkpointing", "ChangeEvents", "Encoding", "Publishing", "Heartbeats", "Snapshots",
             "Replication", "Check"],
            ("Publishing", "Encoding")),
    ];

    string Source => Path.Combine(Repository.Root, "src", project.Name);

    /// <summary>
    /// <c>using KafkaCdc.{Project}.X;</c>, <c>KafkaCdc.{Project}.X.Type</c> or <c>X.Type</c>; X.Name not followed by "(",
    /// since a namespace holds types, never methods, so X.Name(...) is a member of an X in scope.
    /// </summary>
    Regex QualifiedReference => field ??= new Regex($@"(?<![\w.])(?:global::)?(?:KafkaCdc\.{project.Name}\.)?(?<folder>[A-Z]\w*)(?:(?>\.[A-Z]\w*)(?!\s*\()|;)");

    [Test]
    public void EveryFolder_HasAPlaceInTheOrder()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        Assert.That(folders, Is.EquivalentTo(project.Order),
            $"the folders of src/{project.Name} and the order in DependencyDirectionTests (and the README) must list the same folders");
    }

    [Test]
    public void EveryReference_PointsDownTheOrder()
    {
        var files = SourceFiles().ToList();
        var references = files.SelectMany(References).ToList();
        var backward = references.Where(r => Rank(r.Target) >= Rank(r.From) && r.Target != r.From)
            .Select(r => $"{r.File}:{r.Line}: {r.From} uses {r.Target} ({r.Text}), which is not before it in {string.Join(" < ", project.Order)} < {Root}")
            .ToList();

        Assert.That(files, Has.Count.GreaterThan(30), $"found only {files.Count} source files under {Source}");
        Assert.That(references.Where(r => (r.From, r.Target) == project.KnownImport), Is.Not.Empty,
            $"the reader found no {project.KnownImport.From} → {project.KnownImport.To} import: is it still reading the code?");
        Assert.That(backward, Is.Empty, $"backward dependencies between {project.Name} folders");
    }

    IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(Source, f).Split(Path.DirectorySeparatorChar) is not ["bin" or "obj", ..]);

    /// <summary>
    /// Files directly in the project folder (the program, the process, the runner): after all folders. Folders reach a
    /// few of them (<c>Log</c>, the source's <c>SourceProcess</c> and exception type) through the project namespace
    /// without an import, which this test cannot see and does not check.
    /// </summary>
    const string Root = "(root)";

    string FolderOf(string path) =>
        Path.GetRelativePath(Source, path).Split(Path.DirectorySeparatorChar) is [var folder, _, ..] ? folder : Root;

    /// <summary>A folder's place in the order; the root after all of them, and an unknown folder too (the other test names it).</summary>
    int Rank(string folder) => Array.IndexOf(project.Order, folder) is >= 0 and var rank ? rank : project.Order.Length;

    IEnumerable<Reference> References(string path)
    {
        var from = FolderOf(path);
        var file = Path.GetRelativePath(Repository.Root, path);
        var lines = Code(File.ReadAllText(path)).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("namespace ", StringComparison.Ordinal)) continue;
            foreach (Match match in QualifiedReference.Matches(line))
            {
                var target = match.Groups["folder"].Value;
                // X.Type only counts where X is a folder of the project (the namespace KafkaCdc.{Project}.X is what C# finds first).
                if (Array.IndexOf(project.Order, target) < 0) continue;
                yield return new Reference(file, i + 1, from, target, match.Value.Trim());
            }
        }
    }

    /// <summary>
    /// The code without what cannot reference a type: comments other than XML doc references, and the contents of
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

    sealed record Reference(string File, int Line, string From, string Target, string Text);
}
