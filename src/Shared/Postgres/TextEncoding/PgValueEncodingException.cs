namespace KafkaCdc.Shared.Postgres;

/// <summary>A datum does not fit its field's schema, so it has no PostgreSQL text form. Not worth retrying.</summary>
public sealed class PgValueEncodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PgValueEncodingException(string columnName, string problem, Exception? innerException)
        : base($"column \"{columnName}\": {problem}", innerException)
    {
        ColumnName = columnName;
    }

    /// <summary>The exact column name.</summary>
    public string ColumnName { get; }
}
