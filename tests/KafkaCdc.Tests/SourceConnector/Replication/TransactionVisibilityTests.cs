using KafkaCdc.SourceConnector.Replication;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Replication;

public class TransactionVisibilityTests
{
    [Test]
    public async Task Wait_TransactionInProgress_NotVisibleUntilItCommits()
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync("visibility");
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync();
        await using var reader = new NpgsqlConnection(connectionString);
        await reader.OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using var xidCommand = new NpgsqlCommand("SELECT txid_current() & 4294967295", writer, transaction);
        // pgoutput's Begin carries the 32-bit xid, without the epoch.
        var xid = (long)(await xidCommand.ExecuteScalarAsync())!;

        Assert.That(await TransactionVisibility.WaitAsync(reader, xid, TimeSpan.FromMilliseconds(100), CancellationToken.None), Is.False, "in progress");
        await transaction.CommitAsync();
        Assert.That(await TransactionVisibility.WaitAsync(reader, xid, TimeSpan.FromSeconds(5), CancellationToken.None), Is.True, "committed");
    }

    [Test]
    public async Task Wait_LongCommittedTransaction_VisibleAtOnce()
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync("visibility_old");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var xidCommand = new NpgsqlCommand("SELECT txid_current() & 4294967295", connection);
        var xid = (long)(await xidCommand.ExecuteScalarAsync())!;

        Assert.That(await TransactionVisibility.WaitAsync(connection, xid, TimeSpan.Zero, CancellationToken.None), Is.True);
    }
}
