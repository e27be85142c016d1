namespace KafkaCdc.SinkConnector.Batching;

/// <summary>
/// Reduces a segment's row changes by key: the last change of each row wins, deletes included, and the survivors
/// keep the order of their last change. An unchanged TOAST placeholder in a later change takes the value of the
/// earlier change it replaces, so reduction never loses a value the stored row does not have yet.
/// </summary>
/// <remarks>
/// Soft deletes (<see cref="ReduceKeepingDeletedRows"/>) keep a row, so a delete cannot swallow the change before it:
/// the last upsert of a key survives next to the delete that follows it (the writers apply upserts first, then mark),
/// and of several deletes after it the first stands, as marking only unmarked rows would have it.
/// </remarks>
public static class KeyReduction
{
    /// <summary>The reduced changes; <paramref name="changes"/> are in record order.</summary>
    public static List<RowChange> Reduce(IReadOnlyList<RowChange> changes)
    {
        var slots = new List<RowChange?>(changes.Count);
        var lastSlot = new Dictionary<string, int>(changes.Count, StringComparer.Ordinal);
        var replaced = 0;
        foreach (var change in changes)
        {
            if (lastSlot.TryGetValue(change.Key, out var slot))
            {
                change.InheritUnavailable(slots[slot]!);
                slots[slot] = null;
                replaced++;
            }
            lastSlot[change.Key] = slots.Count;
            slots.Add(change);
        }

        if (replaced == 0) return [.. changes];
        var reduced = new List<RowChange>(slots.Count - replaced);
        foreach (var change in slots)
        {
            if (change is not null) reduced.Add(change);
        }
        return reduced;
    }

    /// <summary>
    /// The reduced changes for soft deletes: per key, the last upsert and the first delete after it, or the last change
    /// when that is an upsert (which un-marks the row); <paramref name="changes"/> are in record order.
    /// </summary>
    public static List<RowChange> ReduceKeepingDeletedRows(IReadOnlyList<RowChange> changes)
    {
        var slots = new List<RowChange?>(changes.Count);
        var last = new Dictionary<string, (int Upsert, int Delete)>(changes.Count, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!last.TryGetValue(change.Key, out var at))
            {
                last[change.Key] = change.IsDelete ? (-1, slots.Count) : (slots.Count, -1);
                slots.Add(change);
            }
            else if (change.IsDelete)
            {
                if (at.Delete >= 0) continue;
                last[change.Key] = (at.Upsert, slots.Count);
                slots.Add(change);
            }
            else
            {
                change.InheritUnavailable(slots[at.Delete >= 0 ? at.Delete : at.Upsert]!);
                if (at.Upsert >= 0) slots[at.Upsert] = null;
                if (at.Delete >= 0) slots[at.Delete] = null;
                last[change.Key] = (slots.Count, -1);
                slots.Add(change);
            }
        }
        return [.. slots.OfType<RowChange>()];
    }
}
