using KafkaCdc.DevStack;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.Shared.Kafka;
using Microsoft.Extensions.Logging;

DevStackOptions options;
try
{
    if (args is ["--help"] or ["-h"])
    {
        Console.WriteLine(DevStackOptions.Usage);
        return 0;
    }
    if (args is ["--probe"]) return NativeProbe.Run(Console.Out, Console.Error, TimeSpan.FromSeconds(30));
    options = DevStackOptions.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"KafkaCdc.DevStack: {e.Message}");
    Console.Error.WriteLine(DevStackOptions.Usage);
    return 2;
}

try
{
    LibrdkafkaLibrary.Load();
}
catch (DllNotFoundException e)
{
    Console.Error.WriteLine($"KafkaCdc.DevStack: {e.Message}");
    return 1;
}

// Logs go to stderr; stdout carries only the KEY=VALUE lines.
using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
using var stop = new StopSignal(options.ParentPid, loggerFactory.CreateLogger("KafkaCdc.DevStack"));
var host = new DevStackHost(DevStackComposition.Create(options, loggerFactory), loggerFactory.CreateLogger("KafkaCdc.DevStack"));
return await host.RunAsync(options.EnvFile, Console.Out, stop.Token);
