namespace KafkaCdc.DevStack.Admin;

/// <summary>The body of every 4xx answer of the admin endpoint: <c>{"error": "what is wrong"}</c>.</summary>
/// <param name="Error">What was wrong with the request.</param>
public sealed record AdminError(string Error);
