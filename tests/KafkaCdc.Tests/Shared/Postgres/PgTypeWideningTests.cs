using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgTypeWideningTests
{
    [TestCase("smallint", "integer", true)]
    [TestCase("smallint", "bigint", true)]
    [TestCase("integer", "bigint", true)]
    [TestCase("integer[]", "bigint[]", true)]
    [TestCase("real", "double precision", true)]
    [TestCase("character varying(5)", "character varying(10)", true)]
    [TestCase("character varying(5)", "character varying", true)]
    [TestCase("character varying(5)", "text", true)]
    [TestCase("character varying", "text", true)]
    [TestCase("numeric(5,2)", "numeric(8,2)", true)]
    [TestCase("numeric(5)", "numeric(9)", true)]
    [TestCase("numeric(5,2)", "numeric", true)]
    [TestCase("bigint", "integer", false)]
    [TestCase("integer", "integer", false)]
    [TestCase("integer", "text", false)]
    [TestCase("integer", "numeric", false)]
    [TestCase("integer", "bigint[]", false)]
    [TestCase("integer[]", "bigint", false)]
    [TestCase("double precision", "real", false)]
    [TestCase("character varying(10)", "character varying(5)", false)]
    [TestCase("text", "character varying(100)", false)]
    [TestCase("character(5)", "character(10)", false)]
    [TestCase("numeric(8,2)", "numeric(5,2)", false)]
    [TestCase("numeric(5,2)", "numeric(8,3)", false)]
    [TestCase("numeric", "numeric(20,2)", false)]
    [TestCase("timestamp without time zone", "timestamp with time zone", false)]
    [TestCase("integer[]", "bigint[]; DROP TABLE t", false)]
    public void IsSafe_OnlyWhereEveryValueSurvives(string from, string to, bool safe) =>
        Assert.That(PgTypeWidening.IsSafe(from, to), Is.EqualTo(safe));
}
