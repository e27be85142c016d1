using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.Replication;
using KafkaCdc.SourceConnector.Status;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>
/// Confirming a position on a replication connection whose stream is still starting. Npgsql marks the connection as
/// replicating before PostgreSQL has answered START_REPLICATION and before its feedback timer exists; a status update
/// forced in that window failed with a NullReferenceException inside Npgsql, which stopped the connector (seen once in
/// BrokerOutageTests, 130 ms after streaming began).
/// </summary>
public class ReplicationFeedbackTests
{
    [Test]
    public async Task Confirm_WhileTheStreamStarts_NeverThrowsAndConfirmsOnceStreaming()
    {
        await using var database = await SourceTestDatabase.CreateAsync("feedback", "CREATE TABLE t (id integer PRIMARY KEY); CREATE PUBLICATION feedback_pub FOR TABLE t");
        ulong start;
        await using (var setup = new LogicalReplicationConnection(PgSessionSettings.Pin(database.ConnectionString)))
        {
            await setup.Open();
            start = (ulong)(await setup.CreatePgOutputReplicationSlot(database.SlotName)).ConsistentPoint;
        }

        // Closing a connection whose stream was cancelled waits up to Npgsql's CancellationTimeout (2 s by default) for the
        // server's answer to the cancellation; these connections are thrown away, so they do not wait (-1): 20 s less.
        var replicationConnectionString = new NpgsqlConnectionStringBuilder(PgSessionSettings.Pin(database.ConnectionString)) { CancellationTimeout = -1 }.ConnectionString;

        // Many stream starts, each with confirmations hammering it from the first moment, so the window is hit.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await using var replication = new LogicalReplicationConnection(replicationConnectionString);
            await replication.Open();
            var feedback = new ReplicationFeedback(replication, new SourceStatus("test"));
            using var stop = new CancellationTokenSource();
            using var hammering = new CancellationTokenSource();
            var confirmations = Task.Run(async () =>
            {
                while (!hammering.IsCancellationRequested) await feedback.ConfirmAsync(new NpgsqlLogSequenceNumber(start), CancellationToken.None);
            });
            var messages = replication.StartReplication(new PgOutputReplicationSlot(database.SlotName),
                new PgOutputReplicationOptions("feedback_pub", PgOutputProtocolVersion.V1), stop.Token, new NpgsqlLogSequenceNumber(start)).GetAsyncEnumerator(stop.Token);
            var next = messages.MoveNextAsync();
            await database.ExecuteAsync($"INSERT INTO t VALUES ({attempt})");
            Assert.That(await next, Is.True, "the insert arrives");
            await hammering.CancelAsync();
            await confirmations; // throws what a confirmation threw
            Assert.That(feedback.HasStreamStarted, Is.True);
            Assert.That(await feedback.ConfirmAsync(new NpgsqlLogSequenceNumber(start), CancellationToken.None), Is.True, $"attempt {attempt}: confirmed once streaming");
            await stop.CancelAsync();
            try
            {
                await messages.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
