using Avro;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>A schema under a subject: what the version resources answer.</summary>
readonly record struct SubjectVersion(string Subject, int Id, int Version, string Schema);

/// <summary>
/// The registry's state, in memory: schemas by global id, each subject's versions, and the compatibility
/// levels. One lock guards it all; schemas are parsed by the caller before the lock is taken.
/// </summary>
/// <remarks>
/// Schemas are identified by their <see cref="Schema.ToString"/> full form, which keeps docs, defaults and
/// custom properties: as in Confluent's registry, two schemas that differ only in a custom property are
/// different schemas (a new version, a new id), while the same text under two subjects shares one id.
/// </remarks>
sealed class SchemaStore
{
    sealed record StoredSchema(int Id, string Json, Schema Schema);

    readonly Lock _gate = new();
    readonly List<StoredSchema> _schemas = [];
    readonly Dictionary<string, StoredSchema> _schemasByJson = new(StringComparer.Ordinal);
    readonly SortedDictionary<string, List<StoredSchema>> _subjects = new(StringComparer.Ordinal);
    readonly Dictionary<string, CompatibilityLevel> _subjectLevels = new(StringComparer.Ordinal);
    CompatibilityLevel _globalLevel = CompatibilityLevel.Backward;

    /// <summary>
    /// Registers <paramref name="schema"/> under <paramref name="subject"/>, returning its global id: the
    /// existing id when the subject already has it, else a new version after the compatibility check.
    /// </summary>
    public int Register(string subject, Schema schema)
    {
        var json = schema.ToString();
        lock (_gate)
        {
            _subjects.TryGetValue(subject, out var versions);
            if (versions?.Find(s => s.Json == json) is { } existing) return existing.Id;

            if (versions is not null)
            {
                var level = EffectiveLevel(subject);
                var details = CompatibilityReport.Check(level, schema, ForLevel(level, versions));
                if (details.Count > 0) throw RegistryError.IncompatibleSchema(subject, details);
            }

            if (!_schemasByJson.TryGetValue(json, out var stored))
            {
                stored = new StoredSchema(_schemas.Count + 1, json, schema);
                _schemas.Add(stored);
                _schemasByJson.Add(json, stored);
            }

            if (versions is null) _subjects.Add(subject, versions = []);
            versions.Add(stored);
            return stored.Id;
        }
    }

    /// <summary>The version of <paramref name="subject"/> that holds <paramref name="schema"/>.</summary>
    public SubjectVersion Lookup(string subject, Schema schema)
    {
        var json = schema.ToString();
        lock (_gate)
        {
            var versions = VersionsOf(subject);
            var index = versions.FindIndex(s => s.Json == json);
            if (index < 0) throw RegistryError.SchemaNotFound();
            return new SubjectVersion(subject, versions[index].Id, index + 1, json);
        }
    }

    /// <summary>The schema text with global id <paramref name="id"/>.</summary>
    public string SchemaById(int id)
    {
        lock (_gate)
        {
            if (id < 1 || id > _schemas.Count) throw RegistryError.SchemaNotFound(id);
            return _schemas[id - 1].Json;
        }
    }

    /// <summary>Subjects with at least one version, in ordinal order.</summary>
    public IReadOnlyList<string> Subjects()
    {
        lock (_gate) return [.. _subjects.Keys];
    }

    /// <summary>The version numbers of <paramref name="subject"/>, 1 to n.</summary>
    public IReadOnlyList<int> Versions(string subject)
    {
        lock (_gate) return [.. Enumerable.Range(1, VersionsOf(subject).Count)];
    }

    /// <summary>One version of <paramref name="subject"/>; <paramref name="version"/> null is the latest.</summary>
    public SubjectVersion Version(string subject, int? version)
    {
        lock (_gate)
        {
            var versions = VersionsOf(subject);
            var number = version ?? versions.Count;
            if (number > versions.Count) throw RegistryError.VersionNotFound(number);
            var stored = versions[number - 1];
            return new SubjectVersion(subject, stored.Id, number, stored.Json);
        }
    }

    /// <summary>
    /// Checks <paramref name="schema"/> as the compatibility resource does, returning Confluent-style messages
    /// (empty when compatible). Against the latest (<paramref name="version"/> null), the versions a
    /// registration would be checked against; a subject without versions is compatible. Against a given
    /// version, that version alone, in the direction(s) of the subject's level.
    /// </summary>
    public IReadOnlyList<string> TestCompatibility(string subject, int? version, Schema schema)
    {
        lock (_gate)
        {
            var level = EffectiveLevel(subject);
            if (version is null)
            {
                return _subjects.TryGetValue(subject, out var all)
                    ? CompatibilityReport.Check(level, schema, ForLevel(level, all))
                    : [];
            }

            var versions = VersionsOf(subject);
            if (version > versions.Count) throw RegistryError.VersionNotFound(version.Value);
            return CompatibilityReport.Check(level, schema, [(version.Value, versions[version.Value - 1].Schema)]);
        }
    }

    /// <summary>The global compatibility level (BACKWARD until set).</summary>
    public CompatibilityLevel GlobalLevel
    {
        get { lock (_gate) return _globalLevel; }
        set { lock (_gate) _globalLevel = value; }
    }

    /// <summary>The level set for <paramref name="subject"/>, or null when it follows the global one.</summary>
    public CompatibilityLevel? SubjectLevel(string subject)
    {
        lock (_gate) return _subjectLevels.TryGetValue(subject, out var level) ? level : null;
    }

    /// <summary>Sets the level of <paramref name="subject"/>, which need not have versions yet.</summary>
    public void SetSubjectLevel(string subject, CompatibilityLevel level)
    {
        lock (_gate) _subjectLevels[subject] = level;
    }

    CompatibilityLevel EffectiveLevel(string subject) => _subjectLevels.GetValueOrDefault(subject, _globalLevel);

    List<StoredSchema> VersionsOf(string subject) =>
        _subjects.TryGetValue(subject, out var versions) ? versions : throw RegistryError.SubjectNotFound(subject);

    static List<(int Version, Schema Schema)> ForLevel(CompatibilityLevel level, List<StoredSchema> versions)
    {
        var transitive = level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive
            or CompatibilityLevel.FullTransitive;
        var first = transitive ? 0 : versions.Count - 1;
        return [.. versions.Skip(first).Select((s, i) => (first + i + 1, s.Schema))];
    }
}
