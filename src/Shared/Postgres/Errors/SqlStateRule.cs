using KafkaCdc.Shared.Failures;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// One row of <see cref="PgErrorClassification.Rules"/>: a SQLSTATE (five characters) or a SQLSTATE class (its first
/// two), the decision, and PostgreSQL's condition name with the reason for the decision.
/// </summary>
/// <param name="SqlState">A full SQLSTATE such as <c>40P01</c>, or a class such as <c>08</c>.</param>
/// <param name="Kind">The decision.</param>
/// <param name="Why">The condition name and why it gets this decision.</param>
public sealed record SqlStateRule(string SqlState, FailureKind Kind, string Why)
{
    /// <summary>Whether this row names a whole class rather than one code.</summary>
    public bool IsClass => SqlState.Length == 2;
}
