using KafkaCdc.SinkConnector.Errors;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// Records and their destination table disagree in a way the sink does not fix by itself: a type or primary key that
/// differs, a NOT NULL column the records lack, or (with <c>schema.evolution=none</c>) a missing table or column.
/// The message names the table, each column and the difference.
/// </summary>
public sealed class SchemaMismatchException : UnwritableRecordException
{
    /// <summary>Creates the exception.</summary>
    public SchemaMismatchException(string table, IReadOnlyList<string> differences, Exception? innerException = null)
        : base($"table {table} does not match the records: {string.Join("; ", differences)}", innerException)
    {
        Table = table;
        Differences = differences;
    }

    /// <summary>The quoted qualified table name.</summary>
    public string Table { get; }

    /// <summary>One sentence per difference, each naming the column.</summary>
    public IReadOnlyList<string> Differences { get; }
}
