using System.Text.Json;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// Where <c>POST /signals</c> (and so the <c>signal</c> command) hands signals over: to the snapshotter of the running
/// replication session, which applies them at its next step, or nowhere while no session streams. Lives as long as
/// the process; sessions attach and detach.
/// </summary>
internal sealed class SignalInbox
{
    volatile Action<Signal>? _target;

    /// <summary>Connects the inbox to a session's snapshotter until the returned handle is disposed.</summary>
    public IDisposable Attach(Action<Signal> target)
    {
        _target = target;
        return new Detach(this, target);
    }

    /// <summary>
    /// Handles the body of <c>POST /signals</c>, <c>{"id": "...", "type": "execute-snapshot", "data": {...} or "..."}</c>:
    /// returns the HTTP status and the reply (accepted, or what is wrong with the request).
    /// </summary>
    public (int Status, object Reply) Post(string body)
    {
        Signal signal;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new SignalException(null, "the request body must be a JSON object {\"id\", \"type\", \"data\"}");
            string? Text(string name) => root.TryGetProperty(name, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Null => null,
                    _ => value.GetRawText(),
                }
                : null;
            signal = Signal.Parse(Text("id"), Text("type"), Text("data"), "REST");
        }
        catch (JsonException e)
        {
            return (400, new { error = $"the request body is not JSON: {e.Message}" });
        }
        catch (SignalException e)
        {
            return (400, new { error = e.Message });
        }
        if (signal.Type == SignalType.Watermark) return (400, new { error = $"signal '{signal.Id}': type '{Signal.WindowOpen}'/'{Signal.WindowClose}' is the connector's own" });
        if (_target is not { } target)
            return (503, new { error = $"signal '{signal.Id}' not accepted: the connector is not streaming yet (see GET /status); send it again once it is" });
        target(signal);
        return (202, new { accepted = signal.Id, type = Signal.NameOf(signal.Type) });
    }

    sealed class Detach(SignalInbox inbox, Action<Signal> target) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref inbox._target, null, target);
    }
}
