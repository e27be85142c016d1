using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// Hands ASP.NET Core's loggers to the caller's <see cref="ILoggerFactory"/>, so the host's filter rules
/// (framework categories at Warning) apply before the caller's own.
/// </summary>
sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    public void Dispose()
    {
        // The factory belongs to the caller.
    }
}
