using System.Text.Json;
using Avro.Generic;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>
/// Changes streamed from a real PostgreSQL through the connector into Kafka, decoded through the registry: every
/// operation with its envelope and source block, tables without a primary key, unchanged TOASTed values,
/// partitioned tables. One database and one connector for the fixture; each test uses its own table.
/// </summary>
public class StreamingTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    SourceTestDatabase _database = null!;
    InProcessConnector _connector = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await SourceTestDatabase.CreateAsync("streaming");
        _connector = await InProcessConnector.StartStreamingAsync(_database.Config());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Stream_EveryOperation_WritesEnvelopesInCommitOrderWithSourcePosition()
    {
        await _database.ExecuteAsync("CREATE TABLE ops (id integer PRIMARY KEY, name text, qty integer)");
        var walBefore = await _database.CurrentWalLsnAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds();
        var insertTx = await InTransactionAsync("INSERT INTO ops VALUES (1, 'apple', 1), (2, 'pear', 2)");
        var updateTx = await InTransactionAsync("UPDATE ops SET qty = 10 WHERE id = 1");
        var deleteTx = await InTransactionAsync("DELETE FROM ops WHERE id = 2");
        var truncateTx = await InTransactionAsync("TRUNCATE ops");
        var after = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds();
        var partitions = await ChangeTopic.PartitionCountAsync(_database.Topic("ops"), s_timeout);

        // The truncate is the last record of every partition, so once all of them are read, everything before them is too.
        var records = await ChangeTopic.ReadUntilAsync(_database.Topic("ops"), r => r.Count(x => x.Op == "t") == partitions && r.Count >= 5 + partitions,
            s_timeout, "inserts, update, delete, tombstone and truncates");

        var byKey = records.Where(r => r.Key is not null).GroupBy(r => (int)r.Key!["id"]!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.That(byKey[1].Select(r => r.Op), Is.EqualTo(new[] { "c", "u" }), "changes of row 1, in order");
        Assert.That(byKey[2].Select(r => r.Op), Is.EqualTo(new[] { "c", "d", null }), "changes of row 2, then its tombstone");
        Assert.That(byKey[1].Select(r => r.Partition).Distinct().Count(), Is.EqualTo(1), "one partition per key");

        var insert = byKey[1][0];
        Assert.That(insert.Before, Is.Null);
        Assert.That((insert.After!["id"], insert.After["name"], insert.After["qty"]), Is.EqualTo((1, "apple", 1)));
        var update = byKey[1][1];
        Assert.That(update.Before, Is.Null, "REPLICA IDENTITY DEFAULT sends no old row for an update that keeps the key");
        Assert.That(update.After!["qty"], Is.EqualTo(10));
        var delete = byKey[2][1];
        Assert.That(delete.After, Is.Null);
        Assert.That((delete.Before!["id"], delete.Before["name"]), Is.EqualTo((2, (string?)null)), "a delete's before holds the key columns");
        Assert.That(byKey[2][2].Value, Is.Null, "the tombstone has a null value");

        var truncates = records.Where(r => r.Op == "t").ToList();
        Assert.That(truncates.Select(r => r.Partition).Order(), Is.EqualTo(Enumerable.Range(0, partitions)), "a truncate reaches every partition");
        Assert.That(truncates.All(r => r.Key is null && r.Before is null && r.After is null), Is.True);

        foreach (var (record, transaction) in new[] { (insert, insertTx), (update, updateTx), (delete, deleteTx), (truncates[0], truncateTx) })
        {
            var source = record.Source;
            Assert.Multiple(() =>
            {
                Assert.That(source["connector"], Is.EqualTo("postgresql"));
                Assert.That(source["name"], Is.EqualTo(_connector.Options.Name));
                Assert.That(source["db"], Is.EqualTo(_database.Name));
                Assert.That((source["schema"], source["table"]), Is.EqualTo(("public", "ops")));
                Assert.That(source["snapshot"], Is.EqualTo("false"));
                Assert.That(source["txId"], Is.EqualTo(transaction), $"txId of the {record.Op}");
                Assert.That((long)source["lsn"]!, Is.GreaterThan((long)walBefore), $"lsn of the {record.Op}");
                Assert.That((long)source["ts_ms"]!, Is.InRange(before, after), "commit time");
                Assert.That((long)source["ts_us"]! / 1000, Is.EqualTo(source["ts_ms"]));
                Assert.That(JsonSerializer.Deserialize<string?[]>((string)source["sequence"]!)![1], Is.EqualTo(source["lsn"]!.ToString()));
                Assert.That((long)record.Value!["ts_ms"]!, Is.GreaterThanOrEqualTo((long)source["ts_ms"]!));
            });
        }
        Assert.That((long)update.Source["lsn"]!, Is.GreaterThan((long)insert.Source["lsn"]!));
        Assert.That((long)truncates[0].Source["lsn"]!, Is.GreaterThan((long)delete.Source["lsn"]!));

        // Source positions: the envelope's source block carries them (ChangeTopic checks that no such record has the
        // header), the tombstone's header carries the delete's with part 1.
        var system = (ulong)await _database.ScalarAsync<long>("SELECT system_identifier FROM pg_control_system()");
        var tombstone = byKey[2][2];
        var positions = new[] { byKey[1][0], byKey[2][0], update, delete, tombstone }.Concat(truncates).Select(r => r.Position).ToList();
        Assert.That(positions, Has.All.Not.Null, "every streamed record has a position");
        Assert.That(positions.Select(p => p!.Value.SystemId), Has.All.EqualTo(system), "the server's system identifier");
        var (first, second) = (byKey[1][0].Position!.Value, byKey[2][0].Position!.Value);
        Assert.That(first.CommitLsn, Is.EqualTo(second.CommitLsn), "one transaction, one commit LSN");
        Assert.That(new[] { first.Ordinal, second.Ordinal }, Is.EqualTo(new ulong[] { 0, 4 }), "the inserts are changes 0 and 1 of their transaction");
        Assert.That(update.Position!.Value.CommitLsn, Is.GreaterThan(first.CommitLsn));
        Assert.That(delete.Position!.Value.CommitLsn, Is.GreaterThan(update.Position!.Value.CommitLsn));
        Assert.That(tombstone.Position, Is.EqualTo(delete.Position!.Value with { Ordinal = SourcePosition.Tombstone }), "the tombstone follows its delete");
        Assert.That(truncates.Select(r => r.Position).Distinct().Single()!.Value.CommitLsn, Is.GreaterThan(delete.Position!.Value.CommitLsn),
            "the truncate's records share one position, after the delete's");
    }

    [Test]
    public async Task Stream_TableWithoutPrimaryKey_NullKeysOnPartitionZeroWithFullBeforeImages()
    {
        await _database.ExecuteAsync("""
            CREATE TABLE nopk (a integer, b text);
            ALTER TABLE nopk REPLICA IDENTITY FULL;
            INSERT INTO nopk VALUES (1, 'x'), (2, 'y');
            UPDATE nopk SET b = 'z' WHERE a = 1;
            DELETE FROM nopk WHERE a = 2;
            """);

        var records = await ChangeTopic.ReadAsync(_database.Topic("nopk"), 4);

        Assert.That(records.Select(r => r.Op), Is.EqualTo(new[] { "c", "c", "u", "d" }), "in commit order, without tombstones (there is no key)");
        Assert.That(records.All(r => r.Key is null && r.Partition == 0), Is.True, "null keys, all on partition 0");
        Assert.That((records[2].Before!["b"], records[2].After!["b"]), Is.EqualTo(("x", "z")), "REPLICA IDENTITY FULL gives the old row");
        Assert.That((records[3].Before!["a"], records[3].Before!["b"]), Is.EqualTo((2, "y")));
        var subjects = await ChangeTopic.Registry.GetAllSubjectsAsync();
        Assert.That(subjects, Has.Member(_database.Topic("nopk") + "-value").And.No.Member(_database.Topic("nopk") + "-key"));
    }

    [Test]
    public async Task Stream_UpdateNotTouchingToastedColumn_PutsThePlaceholderInAfter()
    {
        await _database.ExecuteAsync("""
            CREATE TABLE toasty (id integer PRIMARY KEY, big text, small integer);
            INSERT INTO toasty SELECT 1, string_agg(md5(random()::text), ''), 1 FROM generate_series(1, 300);
            UPDATE toasty SET small = 2 WHERE id = 1;
            """);
        var big = await _database.ScalarAsync<string>("SELECT big FROM toasty");

        var records = await ChangeTopic.ReadAsync(_database.Topic("toasty"), 2);

        Assert.That(records[0].After!["big"], Is.EqualTo(big), "the insert carries the value");
        Assert.That(records[1].After!["big"], Is.EqualTo(PgUnavailableValue.Text), "the update did not touch it: placeholder");
        Assert.That(records[1].After!["small"], Is.EqualTo(2));
    }

    [Test]
    public async Task Stream_ReplicaIdentityFull_UnchangedToastedValueTakenFromTheOldRow()
    {
        await _database.ExecuteAsync("""
            CREATE TABLE toasty_full (id integer PRIMARY KEY, big text, small integer);
            ALTER TABLE toasty_full REPLICA IDENTITY FULL;
            INSERT INTO toasty_full SELECT 1, string_agg(md5(random()::text), ''), 1 FROM generate_series(1, 300);
            UPDATE toasty_full SET small = 2 WHERE id = 1;
            UPDATE toasty_full SET id = 5 WHERE id = 1;
            """);
        var big = await _database.ScalarAsync<string>("SELECT big FROM toasty_full");

        // insert, update, then the key change as delete + tombstone of key 1 and create under key 5
        var records = await ChangeTopic.ReadAsync(_database.Topic("toasty_full"), 5);

        var update = records.Single(r => r.Op == "u");
        var create = records.Single(r => r.Op == "c" && (int)r.Key!["id"]! == 5);
        Assert.That(update.After!["big"], Is.EqualTo(big), "FULL logs the old row with the value inlined: no placeholder");
        Assert.That(update.After!["small"], Is.EqualTo(2));
        Assert.That(create.After!["big"], Is.EqualTo(big), "the key change's create carries the value too");
    }

    [Test]
    public async Task Stream_PartitionedTable_RecordsAppearUnderTheRoot()
    {
        await _database.ExecuteAsync("""
            CREATE TABLE measurements (id integer, at date, v integer, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
            CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            INSERT INTO measurements VALUES (1, '2024-06-01', 10), (2, '2025-06-01', 20);
            """);

        var records = await ChangeTopic.ReadAsync(_database.Topic("measurements"), 2);

        Assert.That(records.Select(r => (r.Source["table"], r.After!["v"])), Is.EquivalentTo(new[] { ((object?)"measurements", (object?)10), ("measurements", 20) }));
        Assert.That(records.All(r => r.Key!.Schema.Fields.Select(f => f.Name).SequenceEqual(["id", "at"])), Is.True, "the root's primary key");
        var subjects = await ChangeTopic.Registry.GetAllSubjectsAsync();
        Assert.That(subjects.Where(s => s.Contains("measurements_20", StringComparison.Ordinal)), Is.Empty, "nothing under the partitions' names");
    }

    [Test]
    public async Task Stream_KeyChangingUpdate_DeletesTheOldKeyThenCreatesTheNewKey()
    {
        await _database.ExecuteAsync("""
            CREATE TABLE rekey (id integer PRIMARY KEY, v text);
            INSERT INTO rekey VALUES (1, 'a');
            UPDATE rekey SET id = 2, v = 'b' WHERE id = 1;
            INSERT INTO rekey VALUES (1, 'again');
            """);

        var records = await ChangeTopic.ReadAsync(_database.Topic("rekey"), 5);

        var oldKey = records.Where(r => (int)r.Key!["id"]! == 1).ToList();
        var newKey = records.Where(r => (int)r.Key!["id"]! == 2).ToList();
        Assert.That(oldKey.Select(r => r.Op), Is.EqualTo(new[] { "c", "d", null, "c" }), "old key: insert, delete, tombstone, re-insert, in one partition's order");
        Assert.That(oldKey.Select(r => r.Partition).Distinct().Count(), Is.EqualTo(1));
        Assert.That((oldKey[1].Before!["id"], oldKey[1].After), Is.EqualTo((1, (GenericRecord?)null)));
        Assert.That(newKey.Select(r => r.Op), Is.EqualTo(new[] { "c" }));
        Assert.That((newKey[0].Before, newKey[0].After!["id"], newKey[0].After!["v"]), Is.EqualTo(((GenericRecord?)null, 2, "b")));
        Assert.That(newKey[0].Source["lsn"], Is.EqualTo(oldKey[1].Source["lsn"]), "both records carry the update's position");
    }

    [Test]
    public async Task Stream_KeyedRecords_LandOnThePartitionJavasPartitionerChooses()
    {
        await _database.ExecuteAsync("CREATE TABLE placed (id bigint PRIMARY KEY, v text); INSERT INTO placed SELECT g, 'x' FROM generate_series(1, 40) g");

        var records = await ChangeTopic.ReadAsync(_database.Topic("placed"), 40);
        var partitions = records.Max(r => r.Partition) + 1;

        Assert.That(partitions, Is.GreaterThan(1), "a topic with several partitions");
        Assert.That(records.Select(r => (r.Partition, (Murmur2(r.RawKey!) & 0x7fffffff) % partitions)),
            Has.All.Matches<(int Actual, int Java)>(p => p.Actual == p.Java),
            "partition = toPositive(murmur2(key)) % partitions, as Kafka's Java producer computes it");
    }

    /// <summary>Kafka's Java <c>Utils.murmur2</c>, the reference the producer's partitioner must agree with.</summary>
    static int Murmur2(byte[] data)
    {
        const uint m = 0x5bd1e995;
        var h = 0x9747b28cu ^ (uint)data.Length;
        var length4 = data.Length / 4;
        for (var i = 0; i < length4; i++)
        {
            var k = (uint)(data[i * 4] | data[i * 4 + 1] << 8 | data[i * 4 + 2] << 16 | data[i * 4 + 3] << 24);
            k *= m;
            k ^= k >> 24;
            k *= m;
            h *= m;
            h ^= k;
        }
        var tail = data.Length & ~3;
        switch (data.Length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }

    /// <summary>Runs <paramref name="sql"/> in a transaction and returns its transaction id.</summary>
    async Task<long> InTransactionAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(sql, connection, transaction)) await command.ExecuteNonQueryAsync();
        await using var id = new NpgsqlCommand("SELECT txid_current()", connection, transaction);
        var xid = (long)(await id.ExecuteScalarAsync())!;
        await transaction.CommitAsync();
        return xid;
    }
}
