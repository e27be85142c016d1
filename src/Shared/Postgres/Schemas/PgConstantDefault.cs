using System.Text.RegularExpressions;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Which column defaults travel with the schema (<see cref="PgColumnProperties.Default"/>) and may be written into a
/// destination's DDL: constants only, as <c>pg_get_expr</c> prints them — a number, <c>true</c>/<c>false</c>,
/// <c>NULL</c> or one quoted literal, each optionally cast to a type (<c>3</c>, <c>'-1.5'::numeric</c>,
/// <c>'new'::text</c>, <c>'2020-01-01'::date</c>, <c>'{1,2}'::integer[]</c>).
/// </summary>
/// <remarks>
/// A constant default is what PostgreSQL gives rows that existed before <c>ADD COLUMN … DEFAULT</c> without writing
/// them to the WAL, so the destination needs the same default to read the same. Anything else (<c>now()</c>,
/// <c>nextval(…)</c>, expressions) is left out: it may name objects the destination lacks, and PostgreSQL rewrites the
/// table for a volatile one anyway. The grammar admits one literal and a cast, nothing else, so a default read from a
/// record (another producer's, perhaps) cannot smuggle SQL into the sink's DDL.
/// </remarks>
public static partial class PgConstantDefault
{
    /// <summary>Whether <paramref name="expression"/> is a constant this grammar admits.</summary>
    public static bool IsConstant(string? expression) => expression is not null && Constant().IsMatch(expression);

    /// <summary>
    /// The literal of a constant without its cast (<c>'happy'::mood</c> → <c>'happy'</c>, <c>3</c> → <c>3</c>): for a
    /// destination column created as <c>text</c> because the source's type does not exist there. <c>pg_get_expr</c>
    /// prints a constant through its type's output function, so the literal is the text the column holds for it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="constant"/> is not a constant (<see cref="IsConstant"/>).</exception>
    public static string Literal(string constant)
    {
        var match = Constant().Match(constant);
        if (!match.Success) throw new ArgumentException($"'{constant}' is not a constant default", nameof(constant));
        return match.Groups["literal"].Value;
    }

    [GeneratedRegex("""^(?<literal>-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|NULL|'(?:[^']|'')*')(?:::[A-Za-z_"][A-Za-z0-9_ ."]*(?:\([0-9]+(?:,[0-9]+)?\))?(?:\[\])*)?$""")]
    private static partial Regex Constant();
}
