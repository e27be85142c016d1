using KafkaCdc.Demo;

// The live view of scripts/run.sh: see DemoRun. Exit codes: 0 every table equal, 1 a table differs or the pipeline did
// not catch up, 2 bad command line, 130 a second Ctrl-C cut the verdict short.
DemoOptions options;
try
{
    options = DemoOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"KafkaCdc.Demo: {e.Message}\n{DemoOptions.Usage}");
    return 2;
}
return await new DemoRun(options).RunAsync();
