namespace KafkaCdc.SourceConnector.Check;

/// <summary>One line of <c>check</c>'s output.</summary>
/// <param name="Item">What was checked.</param>
/// <param name="Passed">Whether it is fine.</param>
/// <param name="Detail">What was found, and for a failure what to do.</param>
internal sealed record CheckResult(string Item, bool Passed, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")}  {Item}: {Detail}";
}
