namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>A source table's history as the source would stream it: inserts, then updates of some rows, then deletes (with tombstones) of others.</summary>
internal static class StreamHistory
{
    /// <summary>
    /// Creates <paramref name="name"/> (<c>id integer PRIMARY KEY, name text, qty integer</c>) with <paramref name="rows"/>
    /// rows, updates every 4th, deletes every 10th, doing the same at the source, and returns the messages in order.
    /// </summary>
    public static async Task<(SourceTable Table, List<ChangeMessage> Messages)> CreateAsync(string sourceDatabase, string name, ChangeEvents events, int rows, int firstId = 1)
    {
        var table = await SourceTable.CreateAsync(sourceDatabase, $"CREATE TABLE IF NOT EXISTS {name} (id integer PRIMARY KEY, name text, qty integer)", name);
        var range = $"id BETWEEN {firstId} AND {firstId + rows - 1}";
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'item ' || i, i FROM generate_series({firstId}, {firstId + rows - 1}) i");
        var messages = new List<ChangeMessage>();
        var inserted = await table.RowsAsync(range);
        foreach (var row in inserted) messages.Add(await events.InsertAsync(table, row));
        await table.ExecuteAsync($"UPDATE {name} SET qty = qty * 100, name = name || ' updated' WHERE {range} AND id % 4 = 0");
        foreach (var row in await table.RowsAsync($"{range} AND id % 4 = 0")) messages.Add(await events.UpdateAsync(table, null, row));
        await table.ExecuteAsync($"DELETE FROM {name} WHERE {range} AND id % 10 = 0");
        foreach (var row in inserted.Where(r => (int)r["id"]! % 10 == 0))
        {
            messages.Add(await events.DeleteAsync(table, table.KeyOnly(row)));
            messages.Add(await events.TombstoneAsync(table, table.KeyOnly(row)));
        }
        return (table, messages);
    }
}
