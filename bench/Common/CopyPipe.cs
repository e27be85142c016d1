using System.Diagnostics;

namespace KafkaCdc.Bench.Common;

/// <summary>
/// What a user would do instead of a pipeline for a one-off load: <c>COPY (SELECT * FROM …) TO STDOUT (FORMAT binary)</c>
/// on one database piped straight into <c>COPY … FROM STDIN (FORMAT binary)</c> on another.
/// </summary>
public static class CopyPipe
{
    /// <summary>
    /// Copies every row of <paramref name="sourceTable"/> into <paramref name="destinationTable"/> (emptied first, same
    /// definition); returns the time the two COPY commands took, after checking the destination has <paramref name="expectedRows"/>.
    /// </summary>
    public static async Task<TimeSpan> RunAsync(string source, string sourceTable, string destination, string destinationTable, long expectedRows)
    {
        await Sql.ExecuteAsync(destination, $"TRUNCATE {destinationTable}");
        await using var from = await Sql.OpenAsync(source);
        await using var to = await Sql.OpenAsync(destination);
        var clock = Stopwatch.StartNew();
        await using (var input = await from.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM {sourceTable}) TO STDOUT (FORMAT binary)"))
        await using (var output = await to.BeginRawBinaryCopyAsync($"COPY {destinationTable} FROM STDIN (FORMAT binary)"))
        {
            await input.CopyToAsync(output);
        }
        var elapsed = clock.Elapsed;
        var copied = await Sql.CountAsync(destination, destinationTable);
        if (copied != expectedRows) throw new InvalidOperationException($"the COPY pipe wrote {copied:N0} rows into {destinationTable}, not {expectedRows:N0}");
        return elapsed;
    }
}
