using System.Diagnostics.CodeAnalysis;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Which generation expressions (<see cref="PgTableProperties.Generated"/>) a sink may write into
/// <c>GENERATED ALWAYS AS (…) STORED</c>: one expression, whatever it computes. The expression comes from a record (of
/// any producer), so this rule is what keeps anything but an expression out of the sink's DDL.
/// </summary>
/// <remarks>
/// Scans as PostgreSQL's lexer would: string literals (<c>'it''s'</c>) and quoted identifiers (<c>"weird;col"</c>) are
/// skipped whole and must be closed; outside them parentheses must balance (so the expression cannot close the
/// clause's own), and <c>;</c>, comments (<c>--</c>, <c>/*</c>), <c>$</c> (dollar quoting, parameters) and backslashes
/// are refused, also backslashes in literals, whose meaning depends on the destination's
/// <c>standard_conforming_strings</c>. <c>pg_get_expr</c> never prints any of those outside literals and quoted
/// identifiers. PostgreSQL itself then accepts only immutable expressions without subqueries over the table's own
/// columns.
/// </remarks>
public static class PgGenerationExpression
{
    /// <summary>Whether <paramref name="expression"/> is a single expression this rule admits; otherwise <paramref name="reason"/> says why not.</summary>
    public static bool IsSafe(string? expression, [NotNullWhen(false)] out string? reason)
    {
        reason = Refusal(expression);
        return reason is null;
    }

    static string? Refusal(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression)) return "the expression is empty";
        if (expression.Contains('\0', StringComparison.Ordinal)) return "it contains a NUL character";
        var depth = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var next = i + 1 < expression.Length ? expression[i + 1] : '\0';
            switch (expression[i])
            {
                case '\'':
                    var literalEnd = ClosingQuote(expression, i);
                    if (literalEnd < 0) return "a string literal is not closed";
                    if (expression.AsSpan(i, literalEnd - i).Contains('\\')) return "a string literal contains a backslash, whose meaning depends on standard_conforming_strings";
                    i = literalEnd;
                    break;
                case '"':
                    var identifierEnd = ClosingQuote(expression, i);
                    if (identifierEnd < 0) return "a quoted identifier is not closed";
                    i = identifierEnd;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0) return "a parenthesis closes that was not opened";
                    break;
                case ';':
                    return "it contains ';' (a second statement)";
                case '$':
                    return "it contains '$' (dollar quoting or a parameter)";
                case '\\':
                    return "it contains a backslash";
                case '-' when next == '-':
                    return "it contains a comment ('--')";
                case '/' when next == '*':
                    return "it contains a comment ('/*')";
            }
        }

        return depth == 0 ? null : "a parenthesis is not closed";
    }

    /// <summary>The index of the quote closing the literal or identifier opened at <paramref name="start"/> (a doubled quote stands for itself), or -1.</summary>
    static int ClosingQuote(string text, int start)
    {
        var quote = text[start];
        var end = text.IndexOf(quote, start + 1);
        while (end >= 0 && end + 1 < text.Length && text[end + 1] == quote) end = text.IndexOf(quote, end + 2);
        return end;
    }
}
