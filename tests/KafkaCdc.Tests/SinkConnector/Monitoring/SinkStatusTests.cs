using KafkaCdc.SinkConnector.Monitoring;

namespace KafkaCdc.Tests.SinkConnector.Monitoring;

/// <summary>What <c>/health</c> says of the tasks' states and stopped tables.</summary>
public class SinkStatusTests
{
    static readonly StoppedTableSnapshot s_stop = new("orders", "shop_orders", 2, 41, "table \"orders\" does not match the records: column \"qty\" is integer here but text in the records",
        DateTimeOffset.UnixEpoch, [1, 2]);

    static (bool, string, string?) Health(params TaskSnapshot[] tasks)
    {
        using var metrics = new SinkMetrics("status-" + Guid.NewGuid().ToString("N"));
        var status = new SinkStatus("sink", "group", tasks.Length, metrics);
        foreach (var task in tasks) status.Update(task);
        var report = status.Health();
        return (report.IsHealthy, report.State, report.Error);
    }

    static TaskSnapshot Task(int id, string state, params StoppedTableSnapshot[] stops) => new(id, state, [], state == "failed" ? "cannot connect" : null, stops, []);

    [Test]
    public void RunningTasks_AreHealthyAndRunning() =>
        Assert.That(Health(Task(0, "running"), Task(1, "running")), Is.EqualTo((true, "running", (string?)null)));

    [Test]
    public void AStoppedTable_IsDegradedButHealthy_NamingTableRecordAndReason() =>
        Assert.That(Health(Task(0, "running"), Task(1, "running", s_stop)), Is.EqualTo((true, "degraded",
            "table orders stopped at record shop_orders/2/41: table \"orders\" does not match the records: column \"qty\" is integer here but text in the records")));

    [Test]
    public void StoppedTablesOfAStoppingSink_ReadStopping() =>
        Assert.That(Health(Task(0, "stopping", s_stop)).Item2, Is.EqualTo("stopping"));

    [Test]
    public void AFailedTask_IsUnhealthy_WhateverTablesStopped() =>
        Assert.That(Health(Task(0, "failed"), Task(1, "running", s_stop)), Is.EqualTo((false, "failed", "cannot connect")));

    [Test]
    public void ReplayedRecordsSkipped_AreListedPerTable_SinceTheStart()
    {
        using var metrics = new SinkMetrics("status-" + Guid.NewGuid().ToString("N"));
        var status = new SinkStatus("sink", "group", 1, metrics);
        foreach (var table in new[] { "orders", "orders", "events" })
        {
            var counts = new WriteCounts();
            counts.SkipOfTable(table, "replayed");
            metrics.BatchCommitted(counts, TimeSpan.FromMilliseconds(1));
        }

        var json = System.Text.Json.JsonSerializer.Serialize(status.Document(),
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });

        Assert.That(json, Does.Contain("\"replayed_records_skipped\":{\"events\":1,\"orders\":2}"));
    }

    [Test]
    public void SnapshotRecordsSkipped_AreListedPerTableAndReason_ApartFromReplays()
    {
        using var metrics = new SinkMetrics("status-" + Guid.NewGuid().ToString("N"));
        var status = new SinkStatus("sink", "group", 1, metrics);
        foreach (var (table, reason) in new[] { ("orders", "stale_snapshot"), ("orders", "held_by_snapshot"), ("orders", "stale_snapshot"), ("events", "replayed") })
        {
            var counts = new WriteCounts();
            counts.SkipOfTable(table, reason);
            metrics.BatchCommitted(counts, TimeSpan.FromMilliseconds(1));
        }

        var json = System.Text.Json.JsonSerializer.Serialize(status.Document(),
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });

        Assert.That(json, Does.Contain("\"replayed_records_skipped\":{\"events\":1}"));
        Assert.That(json, Does.Contain("\"snapshot_records_skipped\":{\"orders\":{\"held_by_snapshot\":1,\"stale_snapshot\":2}}"));
    }
}
