using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// The records the source writes for a keyless table whose initial snapshot (id <see cref="SnapshotLsn"/>) was
/// interrupted after attempt 1 sent every row, and resumed in attempt 2: attempt 1's rows, attempt 2's rows (the table
/// at S_2), the stream from the snapshot's LSN on, whose changes before S_2 are marked as held by attempt 2
/// (<see cref="Held"/>), and the changes after S_2 (<see cref="Streamed"/>). Rows go to partitions 0 and 1 alternately,
/// the stream to partition 0 (a null key); the changes after S_2 touch only rows of partition 0, so that the result
/// does not depend on the order in which the sink reads the partitions. The source table ends as the destination must.
/// </summary>
internal sealed record SnapshotAttemptScenario(SourceTable Table, long SnapshotLsn, List<ChangeMessage> Attempt1, List<ChangeMessage> Attempt2,
    List<ChangeMessage> Held, List<ChangeMessage> Streamed)
{
    /// <summary>The source's system identifier in the marks and positions.</summary>
    public const ulong System = 7_394_816_273_645_118_002;

    /// <summary>Everything after attempt 1, in the order the source writes it.</summary>
    public IEnumerable<ChangeMessage> AfterAttempt1 => [.. Attempt2, .. Held, .. Streamed];

    /// <summary>The mark of <paramref name="attempt"/> of the snapshot.</summary>
    public static SnapshotMark Mark(long snapshotLsn, uint attempt, SnapshotMarkKind kind) => new(System, (ulong)snapshotLsn, attempt, kind);

    /// <summary>Creates the table <paramref name="name"/> in <paramref name="source"/> and the records of its history.</summary>
    public static async Task<SnapshotAttemptScenario> CreateAsync(string source, string name, ChangeEvents events)
    {
        var table = await SourceTable.CreateAsync(source, $"CREATE TABLE {name} (n integer, v text); ALTER TABLE {name} REPLICA IDENTITY FULL", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a'), (2, 'same'), (2, 'same'), (3, 'c'), (6, 'f')");
        var snapshotLsn = events.NextLsn;
        var commit = 10UL;
        SourcePosition Next() => new(System, commit++ * 100, 0);

        async Task<List<ChangeMessage>> ReadAsync(uint attempt)
        {
            var rows = await table.RowsAsync();
            var reads = new List<ChangeMessage>();
            for (var i = 0; i < rows.Count; i++)
            {
                var read = await events.InsertAsync(table, rows[i], snapshotLsn, op: 'r');
                reads.Add(read with { Partition = i % 2, Snapshot = Mark(snapshotLsn, attempt, SnapshotMarkKind.Read) });
            }
            return reads;
        }

        var attempt1 = await ReadAsync(1);
        // Committed after the snapshot's LSN, before attempt 2's snapshot S_2: S_2 holds their effect.
        var held = new List<ChangeMessage>();
        var heldMark = Mark(snapshotLsn, 2, SnapshotMarkKind.HeldChange);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (4, 'd')");
        held.Add(await events.InsertAsync(table, await table.RowAsync("n = 4")) with { Position = Next(), Snapshot = heldMark });
        var three = await table.RowAsync("n = 3");
        await table.ExecuteAsync($"DELETE FROM {name} WHERE n = 3");
        held.Add(await events.DeleteAsync(table, three) with { Position = Next(), Snapshot = heldMark });
        // One of two identical rows: applied again, it would delete the other one.
        var same = (await table.RowsAsync("n = 2"))[0];
        await table.ExecuteAsync($"DELETE FROM {name} WHERE ctid = (SELECT ctid FROM {name} WHERE n = 2 LIMIT 1)");
        held.Add(await events.DeleteAsync(table, same) with { Position = Next(), Snapshot = heldMark });
        // S_2: (1,a) (2,same) (4,d) (6,f); (1,a) and (4,d) go to partition 0.
        var attempt2 = await ReadAsync(2);
        // After S_2's bound: ordinary changes, no mark.
        var streamed = new List<ChangeMessage>();
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (5, 'e')");
        streamed.Add(await events.InsertAsync(table, await table.RowAsync("n = 5")) with { Position = Next() });
        var one = await table.RowAsync("n = 1");
        await table.ExecuteAsync($"DELETE FROM {name} WHERE n = 1");
        streamed.Add(await events.DeleteAsync(table, one) with { Position = Next() });
        return new SnapshotAttemptScenario(table, snapshotLsn, attempt1, attempt2, held, streamed);
    }
}
