using KafkaCdc.SourceConnector.Replication;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>
/// The rule that decides which schema changes need a backfill, as a table: previous columns, new columns, and the
/// reason (or none). Columns are written <c>name:type[:attnum][=default]</c>; an attnum of <c>?</c> is unknown (a
/// previous version read from the schema registry).
/// </summary>
public class SchemaChangeRuleTests
{
    static readonly object[] s_cases =
    [
        // No backfill.
        new object?[] { "id:integer:1, v:text:2", "id:integer:1, v:text:2", null },
        new object?[] { "id:integer:1, v:text:2", "id:integer:1, v:text:2, n:integer:3", null },
        new object?[] { "id:integer:1", "id:integer:1, n:integer:2=3", null },
        new object?[] { "id:integer:1", "id:integer:1, label:text:2='it''s new'::text", null },
        new object?[] { "id:integer:1", "id:integer:1, since:date:2='2020-01-01'::date", null },
        new object?[] { "id:integer:1, v:text:2", "id:integer:1", null },
        new object?[] { "id:integer:?, v:text:?", "id:integer:1", null },
        new object?[] { "id:integer:1, v:text:2=now()", "id:integer:1, v:text:2=now()", null },
        // A type change rewrites the table; USING may have changed every value.
        new object?[] { "id:integer:1, amount:integer:2", "id:integer:1, amount:bigint:2", "column \"amount\" changed type from integer to bigint" },
        new object?[] { "id:integer:?, s:character varying(10):?", "id:integer:1, s:text:2", "column \"s\" changed type from character varying(10) to text" },
        // Added with a non-constant default: computed for every existing row in a rewrite.
        new object?[] { "id:integer:1", "id:integer:1, created:timestamp with time zone:2=now()", "column \"created\" was added with the non-constant default now()" },
        new object?[] { "id:integer:?", "id:integer:1, u:uuid:2=gen_random_uuid()", "column \"u\" was added with the non-constant default gen_random_uuid()" },
        new object?[] { "id:integer:1", "id:integer:1, t:text:2=('a'::text || 'b'::text)", "column \"t\" was added with the non-constant default ('a'::text || 'b'::text)" },
        new object?[] { "id:integer:1", "id:integer:1, n:bigint:2=nextval('s'::regclass)", "column \"n\" was added with the non-constant default nextval('s'::regclass)" },
        // A rename: gone and new in one change; the same attnum names it.
        new object?[] { "id:integer:1, v:text:2", "id:integer:1, w:text:2", "column \"v\" was renamed to \"w\"" },
        new object?[] { "id:integer:?, v:text:?", "id:integer:1, w:text:2", "column(s) \"v\" disappeared and \"w\" appeared in the same change (possibly a rename" },
        new object?[] { "id:integer:1, v:text:2", "id:integer:1, w:text:3", "column(s) \"v\" disappeared and \"w\" appeared in the same change (possibly a rename" },
        // Several reasons at once.
        new object?[] { "id:integer:1, a:integer:2, v:text:3", "id:integer:1, a:bigint:2, w:text:3",
            "column \"a\" changed type from integer to bigint (the table was rewritten, a USING expression may have changed every value); column \"v\" was renamed to \"w\"" },
    ];

    [TestCaseSource(nameof(s_cases))]
    public void BackfillReason_PreviousAndNewColumns_NamesTheReasonOrNone(string previous, string current, string? expected)
    {
        var reason = SchemaChangeRule.BackfillReason(Columns(previous), Columns(current));

        if (expected is null) Assert.That(reason, Is.Null);
        else Assert.That(reason, Does.StartWith(expected));
    }

    static List<ColumnShape> Columns(string text) =>
        [.. text.Split(", ").Select(column =>
        {
            var equals = column.IndexOf('=');
            var definition = equals < 0 ? column : column[..equals];
            var parts = definition.Split(':');
            int? attnum = parts.Length > 2 && parts[2] != "?" ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : null;
            return new ColumnShape(parts[0], parts[1], attnum, equals < 0 ? null : column[(equals + 1)..]);
        })];
}
