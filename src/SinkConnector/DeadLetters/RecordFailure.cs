using KafkaCdc.SinkConnector.Decoding;

namespace KafkaCdc.SinkConnector.DeadLetters;

/// <summary>A record that can never be written, and why.</summary>
/// <param name="Record">The record (its raw key, value and headers go to the dead-letter topic).</param>
/// <param name="Exception">The cause.</param>
public sealed record RecordFailure(ChangeRecord Record, Exception Exception)
{
    /// <summary><c>topic/partition/offset: cause</c>.</summary>
    public string Describe() => $"record {Record.Describe()} cannot be written: {Exception.Message}";
}
