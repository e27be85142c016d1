namespace KafkaCdc.SinkConnector.Batching;

/// <summary>
/// Reduces a segment's row changes by key: the last change of each row wins, deletes included, and the survivors
/// keep the order of their last change. An unchanged TOAST placeholder in a later change takes the value of the
/// earlier change it replaces, so reduction never loses a value the stored row does not have yet.
/// </summary>
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
}
