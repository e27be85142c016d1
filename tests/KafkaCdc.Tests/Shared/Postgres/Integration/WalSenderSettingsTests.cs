using System.Diagnostics;
using Avro;
using KafkaCdc.Shared.Postgres;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;

namespace KafkaCdc.Tests.Shared.Postgres.Integration;

/// <summary>
/// pgoutput formats text values in the walsender with that session's settings: checks that the startup options of
/// <see cref="PgSessionSettings"/> reach the walsender and override the database's own defaults, which this test
/// sets to contrary values.
/// </summary>
public class WalSenderSettingsTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    private string _connectionString = "";

    [OneTimeSetUp]
    public async Task CreateTableAsync()
    {
        _connectionString = await PostgresServerSetUp.Server.CreateDatabaseAsync("types_walsender");
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await ExecuteAsync($"""
            ALTER DATABASE "{database}" SET DateStyle = 'SQL, DMY';
            ALTER DATABASE "{database}" SET IntervalStyle = 'postgres_verbose';
            ALTER DATABASE "{database}" SET TimeZone = 'America/New_York';
            ALTER DATABASE "{database}" SET extra_float_digits = 0;
            ALTER DATABASE "{database}" SET bytea_output = 'escape';
            CREATE TABLE settings_check (id integer PRIMARY KEY, m money, i interval, ts timestamptz, d date, f double precision, b bytea, n numeric);
            CREATE PUBLICATION settings_check_pub FOR TABLE settings_check;
            """);
    }

    [Test]
    public async Task PgOutput_WithPinnedOptions_WritesTheFormsTheDecodersRead()
    {
        var (relation, values) = await ReadFirstInsertAsync(_connectionString, 1);

        Assert.That(values, Is.EqualTo(new[]
        {
            "1", "$1,234.50", "P1DT2H3M4.5S", "2024-01-15 08:20:30.5+00", "2024-01-15", "0.30000000000000004", "\\x00ff", "1.50",
        }));

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var columns = await new PgTypeCatalog().DescribeColumnsAsync(
            connection, relation.RelationId, relation.Columns, CancellationToken.None);
        var row = PgTableSchema.Build("db", relation.Namespace, relation.RelationName, columns).DecodeValue(values);
        Assert.That(row["m"], Is.EqualTo(new AvroDecimal(123450, 2)));
        Assert.That(row["ts"], Is.EqualTo("2024-01-15T08:20:30.5Z"));
        Assert.That(row["f"], Is.EqualTo(0.1 + 0.2));
        Assert.That(row["b"], Is.EqualTo(new byte[] { 0, 255 }));
    }

    [Test]
    public async Task PgOutput_WithoutPinnedOptions_FollowsTheDatabaseDefaults()
    {
        var unpinned = new NpgsqlConnectionStringBuilder(_connectionString) { Options = null }.ConnectionString;

        var (_, values) = await ReadFirstInsertAsync(unpinned, 2);

        Assert.That(values[2..7], Is.EqualTo(new[] { "@ 1 day 2 hours 3 mins 4.5 secs", "15/01/2024 03:20:30.5 EST", "15/01/2024", "0.3", "\\000\\377" }));
    }

    /// <summary>Inserts a row, streams it through a temporary pgoutput slot and returns its relation and text values.</summary>
    private async Task<(Relation Relation, string?[] Values)> ReadFirstInsertAsync(string replicationConnectionString, int id)
    {
        var slotName = $"types_settings_{Guid.NewGuid():N}";
        using var timeout = new CancellationTokenSource(s_deadline);
        Relation? relation = null;
        string?[]? values = null;
        await using (var replication = new LogicalReplicationConnection(replicationConnectionString))
        {
            await replication.Open(timeout.Token);
            var slot = await replication.CreatePgOutputReplicationSlot(slotName, temporarySlot: true, cancellationToken: timeout.Token);
            await ExecuteAsync($"""
                INSERT INTO settings_check VALUES ({id}, 1234.5, '1 day 2 hours 3 minutes 4.5 seconds', '2024-01-15 10:20:30.5+02', '2024-01-15', 0.1::float8 + 0.2::float8, '\x00ff', 1.50)
                """);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            try
            {
                await foreach (var message in replication.StartReplication(slot, new PgOutputReplicationOptions("settings_check_pub", PgOutputProtocolVersion.V1), stop.Token))
                {
                    if (message is RelationMessage r)
                    {
                        // Messages are valid only until the next one is read: copy out what the test needs.
                        relation = new Relation(r.RelationId, r.Namespace, r.RelationName,
                            [.. r.Columns.Select(c => new PgRelationColumn(c.ColumnName, c.DataTypeId, c.TypeModifier))]);
                    }
                    else if (message is InsertMessage insert)
                    {
                        var row = new List<string?>();
                        await foreach (var value in insert.NewRow)
                        {
                            row.Add(value.IsDBNull ? null : await value.Get<string>(timeout.Token));
                        }

                        values = [.. row];
                        await stop.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (values is not null)
            {
                // Stopped after the insert, as intended.
            }
        }

        await AssertSlotGoneAsync(slotName);
        Assert.That(relation, Is.Not.Null, "a Relation message comes before the first change of a relation");
        return (relation!, values!);
    }

    private sealed record Relation(uint RelationId, string Namespace, string RelationName, PgRelationColumn[] Columns);

    private async Task AssertSlotGoneAsync(string slotName)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1", connection) { Parameters = { new() { Value = slotName } } };
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            if (watch.Elapsed > s_deadline)
            {
                Assert.Fail($"temporary slot {slotName} still exists {s_deadline.TotalSeconds} s after its connection closed");
            }

            await Task.Delay(50);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
