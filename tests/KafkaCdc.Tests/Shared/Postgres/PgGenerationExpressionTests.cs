using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgGenerationExpressionTests
{
    [TestCase("(a * 2)")]
    [TestCase("(price * (qty)::numeric)")]
    [TestCase("lower(name)")]
    [TestCase("(a || ' x'::text)")]
    [TestCase("a || ' x'")]
    [TestCase("'it''s'")]
    [TestCase("'a;b -- c /* d $$ e ( f'")]
    [TestCase("\"weird;col\" + 1")]
    [TestCase("(\"a\"\")--\" || 'x')")]
    [TestCase("CASE WHEN (a > 0) THEN 'pos'::text ELSE 'neg'::text END")]
    [TestCase("(a - -1)")]
    [TestCase("(a / 2)")]
    [TestCase("(tags[1] + 1)")]
    public void IsSafe_OneExpression_Accepted(string expression) =>
        Assert.That(PgGenerationExpression.IsSafe(expression, out var reason), Is.True, reason);

    [TestCase("1); DROP TABLE t; --", "parenthesis closes")]
    [TestCase("1; DROP TABLE t", "';'")]
    [TestCase("1 /* x */", "comment ('/*')")]
    [TestCase("a -- x", "comment ('--')")]
    [TestCase("a --x\n) STORED, b int GENERATED ALWAYS AS (1", "comment ('--')")]
    [TestCase("$$x$$", "'$'")]
    [TestCase("$tag$x$tag$", "'$'")]
    [TestCase("$1", "'$'")]
    [TestCase("(a * 2", "not closed")]
    [TestCase("a * 2)", "parenthesis closes")]
    [TestCase(") || (", "parenthesis closes")]
    [TestCase("'open", "string literal is not closed")]
    [TestCase("'it''", "string literal is not closed")]
    [TestCase("\"open", "quoted identifier is not closed")]
    [TestCase("'a\\'; DROP TABLE t; --'", "backslash")]
    [TestCase("E'\\x41'", "backslash")]
    [TestCase("a \\ b", "backslash")]
    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("a\0", "NUL")]
    public void IsSafe_AnythingElse_RefusedWithTheReason(string expression, string reason)
    {
        Assert.That(PgGenerationExpression.IsSafe(expression, out var actual), Is.False);
        Assert.That(actual, Does.Contain(reason));
    }

    [Test]
    public void IsSafe_Null_Refused() => Assert.That(PgGenerationExpression.IsSafe(null, out _), Is.False);
}
