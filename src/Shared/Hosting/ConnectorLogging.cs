using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.Hosting;

/// <summary>Console logging for the connector processes: one line per entry, UTC timestamps; ASP.NET Core's request logging only from Warning.</summary>
public static class ConnectorLogging
{
    /// <summary>
    /// Creates the process's logger factory at <paramref name="minimumLevel"/>. ASP.NET Core's own categories (the REST
    /// endpoint logs every request at Information) are kept to warnings unless the level asks for debug output.
    /// </summary>
    public static ILoggerFactory Create(LogLevel minimumLevel = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimumLevel)
            // The REST endpoint's per-request lines would drown the connector's own.
            .AddFilter("Microsoft", minimumLevel <= LogLevel.Debug ? minimumLevel : LogLevel.Warning)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            }));
}
