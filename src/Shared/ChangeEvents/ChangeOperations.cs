namespace KafkaCdc.Shared.ChangeEvents;

/// <summary>The envelope's <c>op</c> codes of <see cref="ChangeOperation"/>, both ways.</summary>
public static class ChangeOperations
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

    /// <summary>Reads an envelope's <c>op</c> code; false for anything but the five codes of <see cref="Code"/>.</summary>
    public static bool TryParse(char code, out ChangeOperation operation)
    {
        (var known, operation) = code switch
        {
            'c' => (true, ChangeOperation.Create),
            'u' => (true, ChangeOperation.Update),
            'd' => (true, ChangeOperation.Delete),
            't' => (true, ChangeOperation.Truncate),
            'r' => (true, ChangeOperation.Read),
            _ => (false, default),
        };
        return known;
    }
}
