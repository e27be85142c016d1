using System.Collections.Concurrent;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// A thread-safe cache of values fetched asynchronously, kept forever once fetched. Concurrent requests for a
/// key being fetched share that one fetch; a failed fetch is forgotten, so the next request tries again.
/// </summary>
/// <remarks>
/// The fetch runs with the cache owner's <c>lifetime</c> token, not a caller's: a caller that gives up (its
/// token cancelled) stops waiting without cancelling the fetch the others wait for.
/// </remarks>
sealed class CoalescingCache<TKey, TValue>(CancellationToken lifetime) where TKey : notnull
{
    readonly ConcurrentDictionary<TKey, Task<TValue>> _entries = new();

    /// <summary>The value, when already fetched.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var task) && task.IsCompletedSuccessfully)
        {
            value = task.Result;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Adds a value learnt otherwise (e.g. from another answer).</summary>
    public void Add(TKey key, TValue value) => _entries.TryAdd(key, Task.FromResult(value));

    /// <summary>The cached value, or the value of the fetch in progress, or of a new fetch.</summary>
    public Task<TValue> GetAsync(TKey key, Func<TKey, CancellationToken, Task<TValue>> fetch, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var existing))
            return existing.IsCompleted ? existing : existing.WaitAsync(cancellationToken);

        var pending = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _entries.GetOrAdd(key, pending.Task);
        if (task == pending.Task) _ = FetchAsync(key, pending, fetch);
        return task.IsCompleted ? task : task.WaitAsync(cancellationToken);
    }

    async Task FetchAsync(TKey key, TaskCompletionSource<TValue> pending, Func<TKey, CancellationToken, Task<TValue>> fetch)
    {
        try
        {
            pending.SetResult(await fetch(key, lifetime));
        }
        catch (Exception e)
        {
            _entries.TryRemove(KeyValuePair.Create(key, pending.Task));
            if (e is OperationCanceledException cancelled) pending.SetCanceled(cancelled.CancellationToken);
            else pending.SetException(e);
        }
    }
}
