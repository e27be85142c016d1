using Npgsql;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// Runs after the other source fixtures (NUnit runs a namespace's children in name order, and this one sorts last):
/// fails the run when a source test left a replication slot behind, since a leaked slot holds WAL for ever.
/// </summary>
public class ZzReplicationSlotLeakTests
{
    [Test]
    public async Task AfterTheSourceTests_NoTestReplicationSlotIsLeftBehind()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT slot_name || ' (database ' || coalesce(database, '-') || ', active ' || active || ')' FROM pg_replication_slots WHERE slot_name LIKE $1 ORDER BY 1",
            connection) { Parameters = { new() { Value = SourceTestDatabase.SlotPrefix.Replace("_", "\\_") + "%" } } };
        var leaked = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) leaked.Add(reader.GetString(0));
        }

        Assert.That(leaked, Is.Empty, "replication slots left behind by source tests (each test must drop the slots it creates)");
    }
}
