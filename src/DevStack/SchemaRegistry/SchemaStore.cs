using Avro;
using Compatibility = Confluent.SchemaRegistry.Compatibility;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>A schema under a subject: what the version resources answer.</summary>
readonly record struct SubjectVersion(string Subject, int Id, int Version, string Schema);

/// <summary>
/// The registry's state, in memory: schemas by global id, each subject's versions, and the compatibility
/// levels. One lock guards it all; schemas are parsed by the caller before the lock is taken.
/// </summary>
/// <remarks>
/// Schemas are identified by <see cref="RegistrySchema.TextOf"/>, as Confluent identifies them by Java's print of them:
/// two schemas that differ only in a custom property are different schemas (a new version, a new id), while the same
/// text under two subjects shares one id. Versions are never deleted, so a list of them handed out stays true.
/// </remarks>
sealed class SchemaStore
{
    readonly Lock _gate = new();
    readonly List<RegistrySchema> _schemas = [];
    readonly Dictionary<string, RegistrySchema> _schemasByText = new(StringComparer.Ordinal);
    readonly SortedDictionary<string, List<RegistrySchema>> _subjects = new(StringComparer.Ordinal);
    readonly Dictionary<string, Compatibility> _subjectLevels = new(StringComparer.Ordinal);
    Compatibility _globalLevel = Compatibility.Backward;

    /// <summary>
    /// Registers <paramref name="schema"/> under <paramref name="subject"/>, returning its global id: the
    /// existing id when the subject already has it, else a new version after the compatibility check.
    /// </summary>
    /// <exception cref="RegistryError">409 when the subject's level rejects it.</exception>
    public int Register(string subject, Schema schema)
    {
        var text = RegistrySchema.TextOf(schema);
        lock (_gate)
        {
            _subjects.TryGetValue(subject, out var versions);
            if (versions?.Find(s => s.Text == text) is { } existing) return existing.Id;

            if (versions is not null)
            {
                var details = CompatibilityReport.Check(EffectiveLevel(subject), schema, Numbered(versions));
                if (details.Count > 0) throw RegistryError.IncompatibleSchema(subject, details);
            }

            if (!_schemasByText.TryGetValue(text, out var stored))
            {
                stored = new RegistrySchema(_schemas.Count + 1, text, schema);
                _schemas.Add(stored);
                _schemasByText.Add(text, stored);
            }

            if (versions is null) _subjects.Add(subject, versions = []);
            versions.Add(stored);
            return stored.Id;
        }
    }

    /// <summary>The version of <paramref name="subject"/> that holds <paramref name="schema"/>.</summary>
    /// <exception cref="RegistryError">40401 for an unknown subject, 40403 when it does not hold the schema.</exception>
    public SubjectVersion Lookup(string subject, Schema schema)
    {
        var text = RegistrySchema.TextOf(schema);
        lock (_gate)
        {
            var versions = VersionsOf(subject);
            var index = versions.FindIndex(s => s.Text == text);
            if (index < 0) throw RegistryError.SchemaNotFound();
            return new SubjectVersion(subject, versions[index].Id, index + 1, text);
        }
    }

    /// <summary>The schema text with global id <paramref name="id"/>.</summary>
    /// <exception cref="RegistryError">40403 for an unknown id.</exception>
    public string SchemaById(int id)
    {
        lock (_gate)
        {
            if (id < 1 || id > _schemas.Count) throw RegistryError.SchemaNotFound(id);
            return _schemas[id - 1].Text;
        }
    }

    /// <summary>Subjects with at least one version, in ordinal order.</summary>
    public IReadOnlyList<string> Subjects()
    {
        lock (_gate) return [.. _subjects.Keys];
    }

    /// <summary>The version numbers of <paramref name="subject"/>, 1 to n.</summary>
    /// <exception cref="RegistryError">40401 for an unknown subject.</exception>
    public IReadOnlyList<int> Versions(string subject)
    {
        lock (_gate) return [.. Enumerable.Range(1, VersionsOf(subject).Count)];
    }

    /// <summary>One version of <paramref name="subject"/>; <paramref name="version"/> null is the latest.</summary>
    /// <exception cref="RegistryError">40401 for an unknown subject, 40402 for a missing version.</exception>
    public SubjectVersion Version(string subject, int? version)
    {
        lock (_gate)
        {
            var versions = VersionsOf(subject);
            var number = version ?? versions.Count;
            if (number > versions.Count) throw RegistryError.VersionNotFound(number);
            var stored = versions[number - 1];
            return new SubjectVersion(subject, stored.Id, number, stored.Text);
        }
    }

    /// <summary>
    /// What <c>POST /compatibility/subjects/{s}/versions</c> checks a schema against: the subject's level and every
    /// version (the level decides how many count, as for a registration); none for an unknown subject.
    /// </summary>
    public (Compatibility Level, IReadOnlyList<(int Version, RegistrySchema Schema)> Versions) CompatibilityTarget(string subject)
    {
        lock (_gate) return (EffectiveLevel(subject), _subjects.TryGetValue(subject, out var versions) ? Numbered(versions) : []);
    }

    /// <summary>
    /// What <c>POST /compatibility/subjects/{s}/versions/{v}</c> checks a schema against: the subject's level and that
    /// one version, or with <paramref name="version"/> null (<c>latest</c>) the latest one, even at a transitive level,
    /// and none for a subject without versions.
    /// </summary>
    /// <exception cref="RegistryError">40402 for a missing numbered version, also of an unknown subject (as Confluent answers).</exception>
    public (Compatibility Level, IReadOnlyList<(int Version, RegistrySchema Schema)> Versions) CompatibilityTarget(string subject, int? version)
    {
        lock (_gate)
        {
            var versions = _subjects.GetValueOrDefault(subject) ?? [];
            var number = version ?? versions.Count;
            if (version > versions.Count) throw RegistryError.VersionNotFound(version.Value);
            return (EffectiveLevel(subject), number == 0 ? [] : [(number, versions[number - 1])]);
        }
    }

    /// <summary>The global compatibility level (BACKWARD until set).</summary>
    public Compatibility GlobalLevel
    {
        get { lock (_gate) return _globalLevel; }
        set { lock (_gate) _globalLevel = value; }
    }

    /// <summary>The level set for <paramref name="subject"/>, or null when it follows the global one.</summary>
    public Compatibility? SubjectLevel(string subject)
    {
        lock (_gate) return _subjectLevels.TryGetValue(subject, out var level) ? level : null;
    }

    /// <summary>Sets the level of <paramref name="subject"/>, which need not have versions yet.</summary>
    public void SetSubjectLevel(string subject, Compatibility level)
    {
        lock (_gate) _subjectLevels[subject] = level;
    }

    Compatibility EffectiveLevel(string subject) => _subjectLevels.GetValueOrDefault(subject, _globalLevel);

    List<RegistrySchema> VersionsOf(string subject) =>
        _subjects.TryGetValue(subject, out var versions) ? versions : throw RegistryError.SubjectNotFound(subject);

    static List<(int Version, RegistrySchema Schema)> Numbered(List<RegistrySchema> versions) =>
        [.. versions.Select((s, i) => (i + 1, s))];
}
