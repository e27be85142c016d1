namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// A column value's text could not be read as the column's type. Not worth retrying: the same text fails again.
/// The message names the column and type and shows the text (cut to <see cref="MaxTextShown"/> characters).
/// </summary>
public sealed class PgValueDecodingException : Exception
{
    /// <summary>How many characters of the text the message shows at most.</summary>
    public const int MaxTextShown = 200;

    /// <summary>Creates the exception.</summary>
    public PgValueDecodingException(string columnName, string typeName, string text, Exception? innerException)
        : base($"column \"{columnName}\" of type {typeName}: cannot read {Show(text)}: {Cut(innerException?.Message)}", innerException)
    {
        ColumnName = columnName;
        TypeName = typeName;
    }

    /// <summary>The exact column name.</summary>
    public string ColumnName { get; }

    /// <summary>The column's type, as <see cref="PgColumnType.FormattedType"/>.</summary>
    public string TypeName { get; }

    /// <summary>The inner message, which may quote the whole text again, cut to the same length.</summary>
    private static string? Cut(string? message) =>
        message is null || message.Length <= MaxTextShown ? message : message[..MaxTextShown] + "...";

    private static string Show(string text) =>
        text.Length <= MaxTextShown ? $"'{text}'" : $"'{text[..MaxTextShown]}...' ({text.Length} characters)";
}
