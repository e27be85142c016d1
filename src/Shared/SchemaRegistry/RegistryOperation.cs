namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>What a request is for, in words for messages (<c>registering a schema under subject "t-value"</c>), and what it concerns.</summary>
sealed record RegistryOperation(string Description, string? Subject = null, int? SchemaId = null)
{
    /// <summary>The description starting with a capital, to open a message.</summary>
    public string Sentence => char.ToUpperInvariant(Description[0]) + Description[1..];
}
