using System.Collections.Concurrent;
using System.Net;
using Avro;
using AvroSchema = Avro.Schema;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Encoding;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// The last known columns of each captured table, so a new table version can be compared with the one before it
/// (<see cref="SchemaChangeRule"/>) even when the change happened while no session was streaming: the versions this
/// process saw (kept across reconnects), else the latest value schema registered under the table's
/// <c>&lt;topic&gt;-value</c> subject, whose field properties describe each column.
/// </summary>
/// <remarks>
/// The registry is asked at most once per table per process, on the reader's thread (the first Relation message of a
/// table the process has not seen). A subject that does not exist means the table has no earlier version. A registry
/// that cannot be reached (after the client's retries) is transient, and the session reconnects; a refusal
/// (credentials, a wrong URL) is permanent, as for schema registration. After a restart the stream may replay an
/// older Relation message than the registry's latest version; the comparison then sees a change back and forth and
/// may backfill a table needlessly, never miss one the registry shows. One gap: the backfill is stored with the offset
/// only after the transaction of its Relation message is acknowledged, while the new schema is registered as soon as
/// that transaction's first record is published; a crash in between replays the Relation message against the new
/// version already registered, and no backfill follows (send <c>execute-snapshot</c> for the table by hand).
/// </remarks>
internal sealed class RelationHistory(ISchemaRegistryClient registry)
{
    readonly ConcurrentDictionary<TableName, IReadOnlyList<ColumnShape>> _known = new();

    /// <summary>Records the columns of a new version of <paramref name="table"/>.</summary>
    public void Remember(TableName table, IReadOnlyList<ColumnShape> columns) => _known[table] = columns;

    /// <summary>The columns of <paramref name="table"/>'s version before the one being built, or null when none is known.</summary>
    /// <exception cref="HttpRequestException">The registry could not be reached (transient).</exception>
    /// <exception cref="SourceConnectorException">The registry refused the request (permanent).</exception>
    public async ValueTask<IReadOnlyList<ColumnShape>?> PreviousAsync(TableName table, string topic, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(table, out var columns)) return columns;
        var subject = AvroSerializer.SubjectName(topic, false);
        try
        {
            var latest = await registry.GetLatestSchemaAsync(subject).WaitAsync(cancellationToken);
            return SchemaChange.ValueOf(AvroSchema.Parse(latest.SchemaString)) is { } value ? [.. value.Fields.Select(ColumnShape.Of)] : null;
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound && e.ErrorCode is 40401 or 40402)
        {
            return null;
        }
        catch (AvroException)
        {
            // Not a schema of this connector's envelope (another producer's subject): nothing to compare with.
            return null;
        }
        catch (HttpRequestException e) when (!RegistryFailures.IsTransient(e))
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The schema registry refused to give the latest value schema of table {table.Quoted} (subject {subject}), which the connector " +
                $"compares a changed table with: {RegistryFailures.Describe(e)}", e);
        }
    }
}
