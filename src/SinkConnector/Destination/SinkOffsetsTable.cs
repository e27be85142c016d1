using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// <c>kafkacdc_sink_offsets</c> in the destination schema: per (group, topic, partition) the next offset to apply and
/// the highest source position applied (<see cref="SourcePosition"/>, the header's 24 bytes), written in the same
/// transaction as the rows of each batch. Used through <c>OffsetCommitter</c> (Committing) only.
/// </summary>
public sealed class SinkOffsetsTable
{
    /// <summary>The table's name.</summary>
    public const string TableName = "kafkacdc_sink_offsets";

    readonly string _groupId;

    /// <summary>The offsets of <paramref name="groupId"/> in <paramref name="schema"/>.</summary>
    public SinkOffsetsTable(string schema, string groupId)
    {
        QualifiedName = PgIdentifier.Quote(schema, TableName);
        _groupId = groupId;
    }

    /// <summary>The quoted qualified name.</summary>
    public string QualifiedName { get; }

    /// <summary>Creates the table if missing (serialised with other processes by an advisory lock).</summary>
    /// <remarks>A table made by an earlier version gets the <c>source_position</c> column (NULL: nothing known yet).</remarks>
    public Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        TableLocks.CreateIfMissingAsync(connection, QualifiedName, $"""
            CREATE TABLE IF NOT EXISTS {QualifiedName} (
                group_id text NOT NULL,
                topic text NOT NULL,
                partition integer NOT NULL,
                next_offset bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                source_position bytea,
                PRIMARY KEY (group_id, topic, partition));
            DO $kafkacdc$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = '{QualifiedName.Replace("'", "''", StringComparison.Ordinal)}'::regclass
                               AND attname = 'source_position' AND NOT attisdropped) THEN
                    ALTER TABLE {QualifiedName} ADD COLUMN source_position bytea;
                END IF;
            END $kafkacdc$
            """, cancellationToken);

    /// <summary>
    /// Locks the rows of <paramref name="partitions"/> for the transaction, in (topic, partition) order so that two
    /// writers never wait on each other crosswise, and returns their rows (partitions without a row are absent).
    /// </summary>
    public async Task<Dictionary<TopicPartition, PartitionProgress>> LockAsync(ApplyTransaction transaction, IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        await using var command = transaction.Command($"""
            SELECT o.topic, o.partition, o.next_offset, o.source_position
            FROM {QualifiedName} o JOIN unnest($2::text[], $3::integer[]) AS p(topic, partition) ON o.topic = p.topic AND o.partition = p.partition
            WHERE o.group_id = $1
            ORDER BY o.topic, o.partition
            FOR UPDATE OF o
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _groupId });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(p => p.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(p => p.Partition.Value).ToArray() });
        var result = new Dictionary<TopicPartition, PartitionProgress>(partitions.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = new TopicPartition(reader.GetString(0), reader.GetInt32(1));
            SourcePosition? source = null;
            if (!reader.IsDBNull(3))
            {
                var bytes = (byte[])reader.GetValue(3);
                if (!SourcePosition.TryRead(bytes, out var read))
                {
                    throw new InvalidOperationException(
                        $"{QualifiedName}: source_position of {partition.Topic}/{partition.Partition.Value} (group '{_groupId}') is {bytes.Length} bytes, " +
                        $"not {SourcePosition.Size}: set it to NULL to accept every record again");
                }
                source = read;
            }
            result[partition] = new PartitionProgress(partition, reader.GetInt64(2), source);
        }
        return result;
    }

    /// <summary>Records <paramref name="progress"/> of each partition in the transaction (a null source position keeps the stored one).</summary>
    public async Task RecordAsync(ApplyTransaction transaction, IReadOnlyCollection<PartitionProgress> progress, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command($"""
            INSERT INTO {QualifiedName} AS o (group_id, topic, partition, next_offset, source_position)
            SELECT $1, p.topic, p.partition, p.next_offset, p.source_position
            FROM unnest($2::text[], $3::integer[], $4::bigint[], $5::bytea[]) AS p(topic, partition, next_offset, source_position)
            ORDER BY p.topic, p.partition
            ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now(),
                source_position = coalesce(EXCLUDED.source_position, o.source_position)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _groupId });
        command.Parameters.Add(new NpgsqlParameter { Value = progress.Select(p => p.Partition.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = progress.Select(p => p.Partition.Partition.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = progress.Select(p => p.NextOffset).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = progress.Select(p => p.Source?.ToBytes()).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The recorded next offsets of <paramref name="partitions"/> (those with a row).</summary>
    public async Task<Dictionary<TopicPartition, long>> ReadAsync(NpgsqlConnection connection, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var result = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0) return result;
        await using var command = new NpgsqlCommand(
            $"SELECT topic, partition, next_offset FROM {QualifiedName} WHERE group_id = $1 AND topic = ANY($2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _groupId });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(p => p.Topic).Distinct().ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = new TopicPartition(reader.GetString(0), reader.GetInt32(1));
            if (partitions.Contains(partition)) result[partition] = reader.GetInt64(2);
        }
        return result;
    }
}
