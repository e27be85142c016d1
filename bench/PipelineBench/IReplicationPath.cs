using KafkaCdc.Bench.Common;
using Npgsql;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// One way of getting a run's source table into a destination database: the pipeline (source process → Kafka → sink
/// process) or PostgreSQL's own logical replication. Started after the tables exist, before the workload; disposing
/// stops it and drops its slot.
/// </summary>
internal interface IReplicationPath : IAsyncDisposable
{
    /// <summary>The path's name in the result table.</summary>
    string Name { get; }

    /// <summary>The destination database's connection string.</summary>
    string Destination { get; }

    /// <summary>The source connector process, for the pipeline.</summary>
    ConnectorProcess? SourceProcess { get; }

    /// <summary>The sink connector process, for the pipeline.</summary>
    ConnectorProcess? SinkProcess { get; }

    /// <summary>Starts replicating and returns once changes committed from now on will be carried.</summary>
    Task StartAsync();

    /// <summary>
    /// Whether the destination holds the workload's final state (cheaply: polled every few milliseconds); the content
    /// is compared in full afterwards. <paramref name="writer"/> tells whether the last transaction is committed (none: a snapshot).
    /// </summary>
    Task<bool> HoldsFinalStateAsync(NpgsqlConnection destination, WorkloadWriter? writer);

    /// <summary>Throws when the path has broken down (a connector process exited, the subscription's worker is gone).</summary>
    void ThrowIfFailed();
}
