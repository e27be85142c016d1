namespace KafkaCdc.Bench.Common;

/// <summary>
/// The 10-column table the benchmarks write (SourceBench's mix of types): its definition and the values of row
/// <c>g</c>, so that source and destination tables are defined alike and every benchmark writes the same rows.
/// </summary>
public static class BenchTable
{
    /// <summary>The column list of <c>CREATE TABLE name …</c>, the key <c>id</c> first.</summary>
    public const string Columns = """
        (id bigint PRIMARY KEY, quantity integer, amount_cents bigint, customer text, token varchar(64),
         price numeric(12,2), created timestamptz, paid boolean, weight double precision, ref uuid)
        """;

    /// <summary>The values of row <c>g</c> (a <c>bigint</c> in scope, e.g. from <c>generate_series</c>) in column order.</summary>
    /// <param name="created">The expression for <c>created</c>: <c>now()</c>, or <c>clock_timestamp()</c> to carry each row's own write time.</param>
    public static string Values(string created = "now()") =>
        $"g, (g % 100000)::int, g * 1000, 'customer ' || g, md5(g::text), (g % 100000) / 100.0, {created}, g % 2 = 0, g * 1.5, md5(g::text)::uuid";

    /// <summary><c>INSERT</c> of rows <paramref name="from"/> to <paramref name="to"/> (SQL expressions) into <paramref name="table"/>.</summary>
    public static string Insert(string table, string from, string to, string created = "now()") =>
        $"INSERT INTO {table} SELECT {Values(created)} FROM generate_series({from}::bigint, {to}::bigint) g";
}
