namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>The envelope codes of <see cref="ChangeOperation"/>.</summary>
internal static class ChangeOperations
{
    /// <summary>Every operation, in enum order (for per-operation counters).</summary>
    public static IReadOnlyList<ChangeOperation> All { get; } = Enum.GetValues<ChangeOperation>();

    /// <summary>The envelope's <c>op</c>: <c>c</c>, <c>u</c>, <c>d</c>, <c>t</c> or <c>r</c>.</summary>
    public static string Code(this ChangeOperation operation) => operation switch
    {
        ChangeOperation.Create => "c",
        ChangeOperation.Update => "u",
        ChangeOperation.Delete => "d",
        ChangeOperation.Truncate => "t",
        ChangeOperation.Read => "r",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
