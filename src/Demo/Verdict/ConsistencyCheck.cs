using System.Diagnostics;
using KafkaCdc.Demo.Watching;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.Demo.Verdict;

/// <summary>
/// The verdict after Ctrl-C, once the workload has stopped: waits until the pipeline has caught up (the source has
/// confirmed the source's WAL position taken after the workload stopped and Kafka acknowledged every record; every
/// partition of the sink group has lag 0), then compares every table on content (<see cref="TableComparison"/>). A table
/// that still differs is compared again until <see cref="SettleTimeout"/>: the sink's lag is read from its last fetch,
/// so "0" can be a moment early.
/// </summary>
internal sealed class ConsistencyCheck(DemoOptions options, StatusClient status, RowCounter counter)
{
    /// <summary>How long the pipeline gets to catch up.</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(180);

    /// <summary>How long a differing table gets to become equal after the catch-up.</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits for the catch-up, reporting progress through <paramref name="progress"/> about once a second; returns null
    /// when caught up, else what was still missing at the deadline.
    /// </summary>
    public async Task<string?> CatchUpAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        NpgsqlLogSequenceNumber target;
        await using (var connection = new NpgsqlConnection(options.SourceDb))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_current_wal_lsn()", connection);
            target = (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        var started = Stopwatch.GetTimestamp();
        var missing = "";
        while (Stopwatch.GetElapsedTime(started) < CatchUpTimeout)
        {
            var source = await status.SourceAsync(options.SourceUrl, cancellationToken);
            var sinks = await Task.WhenAll(options.SinkUrls.Select((url, i) => status.SinkAsync(i + 1, url, cancellationToken)));
            var confirmed = source.ConfirmedLsn is { } text && NpgsqlLogSequenceNumber.TryParse(text, out var lsn) ? lsn : NpgsqlLogSequenceNumber.Invalid;
            var partitions = sinks.SelectMany(s => s.Partitions).ToList();
            var lag = partitions.Sum(p => p.Lag ?? 1);
            missing = string.Join("; ", new[]
            {
                confirmed >= target ? null : $"source confirmed {source.ConfirmedLsn ?? "nothing"} of {target}",
                source.RecordsInFlight == 0 ? null : $"{source.RecordsInFlight} records not yet acknowledged by Kafka",
                partitions.Count > 0 ? null : "no partitions assigned to the sink group",
                lag == 0 ? null : $"sink group lag {lag:N0} records",
                sinks.FirstOrDefault(s => s.State is "unreachable" or "failed") is { } down ? $"sink {down.Process} {down.State}" : null,
            }.Where(m => m is not null));
            if (missing.Length == 0) return null;
            progress($"waiting for the pipeline to catch up: {missing}");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        return missing;
    }

    /// <summary>Compares every table, again until <see cref="SettleTimeout"/> for those that differ.</summary>
    public async Task<IReadOnlyList<TableVerdict>> CompareAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var comparison = new TableComparison(options.SourceDb, options.DestinationDb);
        var tables = await counter.SourceTablesAsync(cancellationToken);
        var verdicts = new Dictionary<string, TableVerdict>(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            foreach (var table in tables.Where(t => verdicts.GetValueOrDefault(t)?.Equal != true))
            {
                progress($"comparing {table}...");
                verdicts[table] = await comparison.CompareAsync(table, counter.DestinationTable(table), cancellationToken);
            }
            if (verdicts.Values.All(v => v.Equal) || Stopwatch.GetElapsedTime(started) >= SettleTimeout) break;
            progress($"{string.Join(", ", verdicts.Values.Where(v => !v.Equal).Select(v => v.Table))} differ; comparing again in 2 s");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
        return [.. tables.Select(t => verdicts[t])];
    }
}
