using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Configuration;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>The <see cref="SoftDeleteColumns"/> part of the schema evolution (<c>delete.mode=soft</c>).</summary>
public sealed partial class SchemaEvolution
{
    /// <summary>
    /// With <c>delete.mode=soft</c>, <paramref name="table"/> with the <see cref="SoftDeleteColumns"/> added when it
    /// lacks them (a truncate marks the rows of a table no record has reached since soft deletes were turned on); null
    /// when it does not exist. The caller holds the table's exclusive lock.
    /// </summary>
    /// <exception cref="SchemaMismatchException">A column of either name has another type, or <c>schema.evolution=none</c> and they are missing.</exception>
    public async Task<DestinationTable?> FitSoftDeleteAsync(DestinationSession session, ApplyTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var destination = await session.Catalog.DescribeAsync(transaction.Connection, _schema, table, cancellationToken);
        if (destination is not null && _softDelete is not null)
        {
            var qualified = PgIdentifier.Quote(_schema, table);
            var differences = new List<string>();
            var missing = SoftDeleteMissing(destination, differences);
            if (differences.Count > 0) throw new SchemaMismatchException(qualified, differences);
            if (missing.Count > 0)
            {
                await using (var command = transaction.Command($"ALTER TABLE {qualified} {string.Join(", ", missing.Select(d => $"ADD COLUMN IF NOT EXISTS {d}"))}"))
                    await command.ExecuteNonQueryAsync(cancellationToken);
                Log.ColumnsAdded(_logger, qualified, string.Join(", ", missing));
                destination = await session.Catalog.DescribeAsync(transaction.Connection, _schema, table, cancellationToken);
            }
        }
        session.Tables[table] = destination;
        return destination;
    }

    /// <summary>The soft-delete column definitions <paramref name="table"/> lacks (none under <c>schema.evolution=none</c>, which reports them instead).</summary>
    List<string> SoftDeleteMissing(DestinationTable table, List<string> differences)
    {
        var missing = _softDelete!.Missing(table, differences);
        if (missing.Count > 0 && _mode == SchemaEvolutionMode.None)
        {
            differences.Add($"soft-delete column(s) {string.Join(", ", missing)} are missing (delete.mode=soft), and schema.evolution=none does not add them");
            missing.Clear();
        }
        return missing;
    }
}
