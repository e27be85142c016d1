using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgConstantDefaultTests
{
    [TestCase("3")]
    [TestCase("-1.5")]
    [TestCase("1e10")]
    [TestCase("true")]
    [TestCase("false")]
    [TestCase("NULL::integer")]
    [TestCase("'it''s new'::text")]
    [TestCase("'-1.50'::numeric")]
    [TestCase("'2020-01-01'::date")]
    [TestCase("'{1,2}'::integer[]")]
    [TestCase("'x'::character varying")]
    [TestCase("'0'::numeric(8,2)")]
    [TestCase("'happy'::public.mood")]
    [TestCase("'a'::\"My Schema\".\"Mood\"")]
    [TestCase("'2020-01-01 00:00:00+00'::timestamp with time zone")]
    public void IsConstant_ALiteralWithAnOptionalCast(string expression) =>
        Assert.That(PgConstantDefault.IsConstant(expression), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("now()")]
    [TestCase("nextval('t_id_seq'::regclass)")]
    [TestCase("gen_random_uuid()")]
    [TestCase("(1 + 2)")]
    [TestCase("'a'::text || 'b'::text")]
    [TestCase("'x'::text); DROP TABLE t; --")]
    [TestCase("3; DROP TABLE t")]
    [TestCase("'unterminated")]
    [TestCase("'a' 'b'")]
    [TestCase("CURRENT_TIMESTAMP")]
    public void IsConstant_NotForExpressionsCallsOrAnythingAfterTheLiteral(string? expression) =>
        Assert.That(PgConstantDefault.IsConstant(expression), Is.False);

    [TestCase("3", "3")]
    [TestCase("-1.5", "-1.5")]
    [TestCase("NULL::integer", "NULL")]
    [TestCase("'happy'::public.mood", "'happy'")]
    [TestCase("'it''s'::\"My Schema\".\"Mood\"", "'it''s'")]
    [TestCase("'{a,b}'::public.mood[]", "'{a,b}'")]
    public void Literal_IsTheConstantWithoutItsCast(string constant, string literal) =>
        Assert.That(PgConstantDefault.Literal(constant), Is.EqualTo(literal));

    [Test]
    public void Literal_RefusesAnExpression() =>
        Assert.That(() => PgConstantDefault.Literal("now()"), Throws.ArgumentException.With.Message.Contains("'now()' is not a constant default"));
}
