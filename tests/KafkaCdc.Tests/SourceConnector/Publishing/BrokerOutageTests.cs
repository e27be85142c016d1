using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Publishing;

/// <summary>
/// Kafka partly unavailable while the connector streams: it keeps retrying, does not confirm what Kafka has not
/// acknowledged, and delivers everything once the broker is back (duplicates allowed on the mock, loss not).
/// </summary>
public class BrokerOutageTests
{
    const int RowsPerPhase = 100;
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [TearDown]
    public async Task RestoreBrokers()
    {
        if (TestEnvironment.DevStackAdmin is { } admin) await admin.ResetAsync();
    }

    [Test]
    public async Task BrokerDownAndBack_NothingConfirmedMeanwhile_EveryRowDelivered()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        await using var database = await SourceTestDatabase.CreateAsync("outage", "CREATE TABLE orders (id integer PRIMARY KEY, v text)");
        var topic = database.Topic("orders");
        await admin.CreateTopicAsync(topic, 3);
        for (var partition = 0; partition < 3; partition++) await admin.SetPartitionLeaderAsync(topic, partition, partition + 1);
        await using var connector = await InProcessConnector.StartStreamingAsync(database.Config());

        await InsertAsync(database, 1, RowsPerPhase);
        await ChangeTopic.ReadUntilAsync(topic, r => r.Count >= RowsPerPhase, s_timeout, "the first rows");
        var partitionOfBroker1 = 0;

        await admin.SetBrokerDownAsync(1);
        await InsertAsync(database, RowsPerPhase + 1, 2 * RowsPerPhase);
        var afterOutageWrites = await database.CurrentWalLsnAsync();
        await ChangeTopic.ReadUntilAsync(topic,
            r => r.Where(x => x.Partition != partitionOfBroker1).Select(x => (int)x.Key!["id"]!).Distinct().Count(id => id > RowsPerPhase) >= RowsPerPhase / 2,
            s_timeout, "the rows of the partitions whose brokers are up");
        await Poll.UntilAsync(() => connector.Status.RecordsInFlight > 0, s_timeout, "records waiting for the downed broker");
        Assert.That(await database.ConfirmedFlushLsnAsync(), Is.LessThan(afterOutageWrites), "nothing past an unacknowledged record is confirmed");

        await admin.SetBrokerUpAsync(1);
        var records = await ChangeTopic.ReadUntilAsync(topic, r => r.Select(x => (int)x.Key!["id"]!).Distinct().Count() == 2 * RowsPerPhase,
            s_timeout, "every row after the broker came back");
        await Poll.UntilAsync(async () => await database.ConfirmedFlushLsnAsync() >= afterOutageWrites, s_timeout, "the confirmed LSN to catch up");

        Assert.That(records.Select(r => (int)r.Key!["id"]!).Distinct().Order(), Is.EqualTo(Enumerable.Range(1, 2 * RowsPerPhase)));
        Assert.That(connector.Status.ProduceErrors, Is.Zero, "librdkafka retried; no record failed");
    }

    /// <summary>Inserts rows <paramref name="from"/>..<paramref name="to"/>, one transaction each.</summary>
    static async Task InsertAsync(SourceTestDatabase database, int from, int to)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        for (var id = from; id <= to; id++)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO orders VALUES ({id}, 'row {id}')", connection);
            await insert.ExecuteNonQueryAsync();
        }
    }
}
