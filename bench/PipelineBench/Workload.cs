using System.Diagnostics;
using KafkaCdc.Bench.Common;
using Npgsql;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// What a run writes into its source table, the same for the pipeline and for native replication: how many changes,
/// which rows exist before (written before replication starts, at the source and at the destination), and the writer.
/// </summary>
/// <param name="Name">The workload's name in the table and in <c>--only</c>.</param>
/// <param name="Description">What it writes, for the table.</param>
/// <param name="Changes">The row changes it commits, each one record in Kafka.</param>
/// <param name="PrefilledRows">Rows 1 to this many exist at both ends before the run (the updates' rows).</param>
/// <param name="LastKey">The key of a row the last transaction writes: its final content at the destination shows native replication, which applies transactions in commit order, is done.</param>
/// <param name="Write">Writes the changes into the table through the connection, calling the action after every commit.</param>
internal sealed record Workload(string Name, string Description, long Changes, long PrefilledRows, long LastKey, Action<NpgsqlConnection, string, Action> Write)
{
    /// <summary>The first key counted in the latency percentiles (rows written during the warm-up are not); 1 for the other workloads.</summary>
    public long MeasuredFromKey { get; init; } = 1;

    /// <summary><paramref name="changes"/> inserts in transactions of <paramref name="transactionRows"/> rows (one INSERT … SELECT each).</summary>
    public static Workload LargeTransactions(long changes, int transactionRows) =>
        new("large", $"{changes:N0} inserts in {Transactions(changes, transactionRows):N0} transactions of {Math.Min(changes, transactionRows):N0} rows", changes, 0, changes,
            (connection, table, committed) =>
            {
                for (var from = 1L; from <= changes; from += transactionRows)
                {
                    Execute(connection, BenchTable.Insert(table, $"{from}", $"{Math.Min(changes, from + transactionRows - 1)}"));
                    committed();
                }
            });

    /// <summary><paramref name="changes"/> single-row inserts, each its own transaction, one after the other on one connection.</summary>
    public static Workload SingleRow(long changes) =>
        new("single", $"{changes:N0} single-row insert transactions, back to back on one connection", changes, 0, changes, (connection, table, committed) =>
        {
            using var insert = new NpgsqlCommand(BenchTable.Insert(table, "$1", "$1"), connection) { Parameters = { new() { Value = 0L } } };
            insert.Prepare();
            for (var key = 1L; key <= changes; key++)
            {
                insert.Parameters[0].Value = key;
                insert.ExecuteNonQuery();
                committed();
            }
        });

    /// <summary><paramref name="changes"/> rows, each updated once, in transactions of <paramref name="transactionRows"/> rows (one UPDATE of a key range each).</summary>
    public static Workload Updates(long changes, int transactionRows) =>
        new("updates", $"{changes:N0} updates (every row of a {changes:N0}-row table once) in {Transactions(changes, transactionRows):N0} transactions of {Math.Min(changes, transactionRows):N0} rows",
            changes, changes, changes, (connection, table, committed) =>
            {
                for (var from = 1L; from <= changes; from += transactionRows)
                {
                    Execute(connection, $"UPDATE {table} SET quantity = quantity + 1, amount_cents = amount_cents + 7, paid = NOT paid " +
                                        $"WHERE id BETWEEN {from} AND {Math.Min(changes, from + transactionRows - 1)}");
                    committed();
                }
            });

    /// <summary>
    /// Inserts at a fixed offered rate for <paramref name="warmup"/> plus <paramref name="measured"/>: every 10 ms the
    /// rows the rate calls for by then, in one transaction, each row's <c>created</c> its own <c>clock_timestamp()</c>
    /// (within a millisecond of the commit). Only rows written after the warm-up count in the percentiles.
    /// </summary>
    public static Workload Paced(int perSecond, TimeSpan warmup, TimeSpan measured)
    {
        var total = (long)(perSecond * (warmup + measured).TotalSeconds);
        return new Workload($"latency_{perSecond}", $"{perSecond:N0} inserts/s offered for {(warmup + measured).TotalSeconds:0} s " +
                                                          $"(a transaction about every 10 ms), the first {warmup.TotalSeconds:0} s not counted", total, 0, total,
            (connection, table, committed) =>
            {
                using var insert = new NpgsqlCommand(BenchTable.Insert(table, "$1", "$2", "clock_timestamp()"), connection)
                {
                    Parameters = { new() { Value = 0L }, new() { Value = 0L } },
                };
                insert.Prepare();
                var clock = Stopwatch.StartNew();
                for (var written = 0L; written < total;)
                {
                    // Pacing, not synchronisation: write what the rate calls for by now, then wait for the next tick.
                    var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond));
                    if (due > written)
                    {
                        insert.Parameters[0].Value = written + 1;
                        insert.Parameters[1].Value = due;
                        insert.ExecuteNonQuery();
                        committed();
                        written = due;
                    }
                    Thread.Sleep(10);
                }
            })
        {
            MeasuredFromKey = (long)(perSecond * warmup.TotalSeconds) + 1,
        };
    }

    static long Transactions(long changes, int transactionRows) => (changes + transactionRows - 1) / transactionRows;

    static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
