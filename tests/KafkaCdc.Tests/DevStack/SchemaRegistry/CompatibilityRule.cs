namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// A reader/writer pair and Avro Java's verdict on it (<c>SchemaCompatibility</c>, which Confluent's registry runs): compatible,
/// or the first incompatibility with Java's type, location and message.
/// </summary>
/// <param name="Name">The rule, for the test name.</param>
/// <param name="Reader">The reader schema (the new one, for BACKWARD).</param>
/// <param name="Writer">The writer schema (the registered one, for BACKWARD).</param>
/// <param name="ErrorType">Java's incompatibility type; null when compatible.</param>
/// <param name="Location">Where in the reader schema.</param>
/// <param name="Message">Java's message (Confluent's <c>additionalInfo</c>).</param>
/// <param name="CanReadDiffers">Apache.Avro's <c>Schema.CanRead</c> gives the other verdict on this pair.</param>
public sealed record CompatibilityRule(
    string Name, string Reader, string Writer, string? ErrorType = null, string? Location = null, string? Message = null, bool CanReadDiffers = false)
{
    /// <summary>Whether the reader can read all data of the writer.</summary>
    public bool Compatible => ErrorType is null;

    /// <inheritdoc />
    public override string ToString() => Name;
}
