namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>
/// Items handed from a reader to the publisher in one channel write, in stream order. A reader sends a batch when it
/// holds <see cref="MaxItems"/> items or is about to wait for more input, so batching adds no latency while it
/// saves a channel operation (and often a thread wake-up) per item.
/// </summary>
internal sealed class PipelineBatch(PipelineItem[] items)
{
    /// <summary>The most items in one batch.</summary>
    public const int MaxItems = 512;

    /// <summary>The items, owned by the publisher once the batch is written.</summary>
    public PipelineItem[] Items { get; } = items;
}
