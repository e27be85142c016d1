using System.Diagnostics;
using KafkaCdc.Demo.Watching;
using Npgsql;

namespace KafkaCdc.Demo.Workload;

/// <summary>
/// A modest live workload on the demo's <c>shop</c> tables (scripts/demo/shop.sql): ten transactions a second, each with
/// a few inserts into every table, updates of random rows (none with <c>insert.mode=insert</c>, where an update is a
/// duplicate key at the destination) and deletes of random rows loaded before the start; about 250 changes per second.
/// After <see cref="SchemaChangeAfter"/> it adds a column with a constant default to <c>customers</c>
/// (<see cref="SchemaChangeSql"/>) and fills it in the rows it writes from then on.
/// </summary>
/// <remarks>
/// Deletes touch only rows loaded before the start, never the <c>orders</c> rows it inserted, whose keys
/// <see cref="EndToEndLag"/> waits for. A failed statement stops the workload with the reason (shown in the view); the
/// pipeline keeps running.
/// </remarks>
internal sealed class ShopWorkload(string sourceDb, bool insertMode, EndToEndLag lag)
{
    /// <summary>When the schema change is made, counted from the workload's start.</summary>
    public static readonly TimeSpan SchemaChangeAfter = TimeSpan.FromSeconds(30);

    /// <summary>The schema change.</summary>
    public const string SchemaChangeSql = "ALTER TABLE public.customers ADD COLUMN loyalty_points integer NOT NULL DEFAULT 0";

    static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(100);
    long _inserts, _updates, _deletes;
    volatile string _state = "waiting for the initial snapshot";
    volatile string? _schemaChange;
    readonly Queue<(long Changes, long At)> _recent = new();

    /// <summary>What it has done so far.</summary>
    public WorkloadProgress Progress()
    {
        long changes = Interlocked.Read(ref _inserts) + Interlocked.Read(ref _updates) + Interlocked.Read(ref _deletes);
        double rate;
        lock (_recent)
        {
            _recent.Enqueue((changes, Stopwatch.GetTimestamp()));
            while (_recent.Count > 5) _recent.Dequeue();
            var (first, at) = _recent.Peek();
            var seconds = Stopwatch.GetElapsedTime(at).TotalSeconds;
            rate = seconds > 0 ? (changes - first) / seconds : 0;
        }
        return new WorkloadProgress(_state, Interlocked.Read(ref _inserts), Interlocked.Read(ref _updates), Interlocked.Read(ref _deletes),
            Math.Round(rate), _schemaChange);
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (then finishes its transaction and returns).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(sourceDb);
            await connection.OpenAsync(cancellationToken);
            var maxCustomer = await ScalarAsync(connection, "SELECT coalesce(max(id), 1) FROM public.customers");
            var maxProduct = await ScalarAsync(connection, "SELECT coalesce(max(id), 1) FROM public.products");
            var maxOrder = await ScalarAsync(connection, "SELECT coalesce(max(id), 1) FROM public.orders");
            var maxEvent = await ScalarAsync(connection, "SELECT coalesce(max(id), 1) FROM public.events");
            _state = "running";
            var started = Stopwatch.GetTimestamp();
            var loyalty = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                var tickStart = Stopwatch.GetTimestamp();
                if (!loyalty && Stopwatch.GetElapsedTime(started) >= SchemaChangeAfter)
                {
                    await ExecuteAsync(connection, SchemaChangeSql);
                    loyalty = true;
                    _schemaChange = $"customers.loyalty_points added at {DateTime.Now:HH:mm:ss}";
                }
                await TickAsync(connection, loyalty, maxCustomer, maxProduct, maxOrder, maxEvent);
                var rest = s_tick - Stopwatch.GetElapsedTime(tickStart);
                if (rest > TimeSpan.Zero) await Task.Delay(rest, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            _state = "stopped";
        }
        catch (NpgsqlException e)
        {
            _state = $"failed: {e.Message}";
        }
    }

    /// <summary>
    /// One transaction: inserts, updates (not in insert mode), deletes; its orders keys go to the lag measure. Not
    /// cancellable: a stop waits for the transaction in progress, so the verdict compares a quiet source.
    /// </summary>
    async Task TickAsync(NpgsqlConnection connection, bool loyalty, long maxCustomer, long maxProduct, long maxOrder, long maxEvent)
    {
        var random = Random.Shared;
        await using var transaction = await connection.BeginTransactionAsync();
        var points = loyalty ? ", loyalty_points" : "";
        var pointsValue = loyalty ? ", (random() * 1000)::int" : "";
        _inserts += await ExecuteAsync(connection,
            $"INSERT INTO public.customers (name, email, balance, tags{points}) SELECT 'live ' || g, 'live' || g || '@example.com', " +
            $"round((random() * 500)::numeric, 2), ARRAY['live']{pointsValue} FROM generate_series(1, 2) g");
        _inserts += await ExecuteAsync(connection,
            "INSERT INTO public.products (sku, title, price, weight_kg, attributes) SELECT gen_random_uuid(), 'new product', " +
            "round((random() * 100)::numeric, 2), random() * 20, jsonb_build_object('live', true) FROM generate_series(1, 1)");
        _inserts += await ExecuteAsync(connection,
            "INSERT INTO public.events (kind, payload, client, duration, digest) SELECT 'live', jsonb_build_object('n', g), " +
            "'192.168.0.1', g * interval '1 ms', decode(md5(random()::text), 'hex') FROM generate_series(1, 6) g");
        var orders = new List<long>();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO public.orders (customer_id, product_id, quantity, total, note) SELECT 1 + (random() * @c)::bigint, " +
            "1 + (random() * @p)::int, 1 + (random() * 4)::int, round((random() * 300)::numeric, 2), 'live order' " +
            "FROM generate_series(1, 8) RETURNING id", connection))
        {
            insert.Parameters.AddWithValue("c", maxCustomer - 1);
            insert.Parameters.AddWithValue("p", maxProduct - 1);
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync()) orders.Add(reader.GetInt64(0));
        }
        _inserts += orders.Count;
        if (!insertMode)
        {
            var setPoints = loyalty ? ", loyalty_points = loyalty_points + 1" : "";
            _updates += await ExecuteAsync(connection,
                $"UPDATE public.customers SET balance = balance + 1{setPoints} WHERE id = ANY(@ids)", RandomKeys(random, maxCustomer, 3));
            _updates += await ExecuteAsync(connection,
                "UPDATE public.products SET price = price + 0.01, updated_at = localtimestamp WHERE id = ANY(@ids)", RandomKeys(random, maxProduct, 2));
            _updates += await ExecuteAsync(connection,
                "UPDATE public.orders SET status = 'shipped', quantity = quantity + 1 WHERE id = ANY(@ids)", RandomKeys(random, maxOrder, 5));
        }
        _deletes += await ExecuteAsync(connection, "DELETE FROM public.orders WHERE id = ANY(@ids)", RandomKeys(random, maxOrder, 2));
        _deletes += await ExecuteAsync(connection, "DELETE FROM public.events WHERE id = ANY(@ids)", RandomKeys(random, maxEvent, 2));
        await transaction.CommitAsync();
        foreach (var key in orders) lag.Committed(key);
    }

    static long[] RandomKeys(Random random, long max, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextInt64(1, max + 1))];

    static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, long[]? ids = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (ids is not null) command.Parameters.AddWithValue("ids", ids);
        return await command.ExecuteNonQueryAsync();
    }

    static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
