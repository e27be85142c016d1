using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests;

/// <summary>One entry of a <see cref="RecordingLogger"/>.</summary>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Properties">The structured properties (including <c>{OriginalFormat}</c>).</param>
public sealed record RecordedLog(LogLevel Level, int EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties);
