using Avro;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.ChangeEvents;
using Microsoft.Extensions.Logging;
using Schema = Avro.Schema;

namespace KafkaCdc.SourceConnector.Encoding;

/// <summary>
/// Readies a table version before its first record: its topic exists (admin API, or auto-creation where the
/// cluster has none) and its key and envelope schemas are registered under TopicNameStrategy subjects. A schema the
/// registry rejects (409, 422) stops the connector with a message naming the table, the changed columns and the
/// registry's reason; any other refusal (credentials, unknown subject...) stops it naming the table, the subject and
/// the setting to check. A registry that cannot be reached, after the client's own retries, is transient.
/// </summary>
internal sealed class SchemaRegistrar(AvroSerializer serializer, ISchemaRegistryClient registry, KafkaTopicProvisioner provisioner, ILogger logger)
{
    readonly HashSet<string> _topics = new(StringComparer.Ordinal);

    /// <summary>Makes sure <paramref name="table"/>'s topic exists and its schemas are registered.</summary>
    /// <exception cref="SourceConnectorException">The registry rejected a schema, or refused the request (permanent).</exception>
    /// <exception cref="HttpRequestException">The registry could not be reached (transient).</exception>
    public async Task EnsureReadyAsync(CapturedTable table, CancellationToken cancellationToken)
    {
        if (_topics.Add(table.Topic))
        {
            try
            {
                await provisioner.EnsureTopicsAsync([table.Topic], cancellationToken);
            }
            catch
            {
                _topics.Remove(table.Topic);
                throw;
            }
        }
        if (table.Schema.Key is { } key) await RegisterAsync(table, true, key, cancellationToken);
        var id = await RegisterAsync(table, false, table.Schema.Envelope, cancellationToken);
        Log.SchemaRegistered(logger, table.Name.ToString(), AvroSerializer.SubjectName(table.Topic, false), id);
    }

    async Task<int> RegisterAsync(CapturedTable table, bool isKey, Schema schema, CancellationToken cancellationToken)
    {
        try
        {
            return await serializer.RegisterAsync(table.Topic, isKey, schema, cancellationToken);
        }
        catch (SchemaRegistryException e) when (RegistryFailures.IsSchemaRejection(e))
        {
            var subject = AvroSerializer.SubjectName(table.Topic, isKey);
            var changes = await DescribeChangesAsync(subject, isKey, schema, cancellationToken);
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The schema registry rejected the new {(isKey ? "key" : "value")} schema of table {table.Name.Quoted} (subject {subject}): " +
                $"{(changes.Count == 0 ? "the table's columns changed" : string.Join("; ", changes))}. Registry: {RegistryFailures.Describe(e)}. " +
                "The connector stopped before writing any record with the new schema; make the change " +
                "compatible with the subject's compatibility level (value fields are optional, so adding and dropping columns is BACKWARD " +
                "compatible; changing a type usually is not), or change the subject's compatibility level, then restart", e);
        }
        catch (HttpRequestException e) when (!RegistryFailures.IsTransient(e))
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The schema registry refused to register the {(isKey ? "key" : "value")} schema of table {table.Name.Quoted} " +
                $"(subject {AvroSerializer.SubjectName(table.Topic, isKey)}): {RegistryFailures.Describe(e)}", e);
        }
    }

    /// <summary>The column changes against the subject's latest registered version, when it can be read.</summary>
    async Task<IReadOnlyList<string>> DescribeChangesAsync(string subject, bool isKey, Schema schema, CancellationToken cancellationToken)
    {
        try
        {
            var latest = Schema.Parse((await registry.GetLatestSchemaAsync(subject).WaitAsync(cancellationToken)).SchemaString);
            return isKey
                ? SchemaChange.Describe(latest as RecordSchema, (RecordSchema)schema)
                : SchemaChange.Describe(SchemaChange.ValueOf(latest), SchemaChange.ValueOf(schema)!);
        }
        catch (Exception e) when (e is HttpRequestException or AvroException)
        {
            return [];
        }
    }
}
