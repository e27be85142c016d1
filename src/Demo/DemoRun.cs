using System.Runtime.InteropServices;
using KafkaCdc.Demo.Display;
using KafkaCdc.Demo.Verdict;
using KafkaCdc.Demo.Watching;
using KafkaCdc.Demo.Workload;
using Spectre.Console;

namespace KafkaCdc.Demo;

/// <summary>
/// The demo from the live view to the verdict: shows the pipeline (a refreshing view on a terminal, a plain line every
/// <see cref="LogEvery"/> otherwise), starts the workload once the source streams (after its initial snapshot, so it
/// never races the snapshot), and on the first Ctrl-C (or SIGTERM) stops the workload, waits for the pipeline to catch up
/// and compares every table (<see cref="ConsistencyCheck"/>). A second Ctrl-C gives up at once (exit 130). The
/// connectors are not this program's: run.sh stops them after it exits.
/// </summary>
internal sealed class DemoRun(DemoOptions options)
{
    /// <summary>How often the plain log prints a line.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(5);

    static readonly TimeSpan s_refresh = TimeSpan.FromSeconds(1);

    /// <summary>Runs until the verdict; returns the exit code.</summary>
    public async Task<int> RunAsync()
    {
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        void Interrupt()
        {
            if (stop.IsCancellationRequested) abort.Cancel();
            else stop.Cancel();
        }
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Interrupt();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            Interrupt();
        });

        using var http = new HttpClient();
        var status = new StatusClient(http);
        var counter = new RowCounter(options);
        var lag = new EndToEndLag(options.DestinationDb, counter.DestinationTable("orders"));
        var workload = options.Workload ? new ShopWorkload(options.SourceDb, options.InsertMode, lag) : null;
        var watcher = new PipelineWatcher(options, status, counter, lag, workload);
        // The view where stdout is a terminal. Spectre.Console would also ask for an interactive stdin, which a
        // background process of a script (run.sh starts this one so) does not have: it reads no input, so it is told.
        var interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");
        if (interactive) AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.Yes });
        using var workloadStop = new CancellationTokenSource();
        Task? workloadTask = null;

        async Task<PipelineSample> SampleAsync()
        {
            var sample = await watcher.SampleAsync(abort.Token);
            if (workload is not null && workloadTask is null && sample.Source.State == "streaming")
                workloadTask = Task.Run(() => workload.RunAsync(workloadStop.Token));
            return sample;
        }

        try
        {
            if (interactive)
            {
                var first = await SampleAsync();
                await AnsiConsole.Live(LiveView.Render(first, options, "Ctrl-C: stop the workload, check every table, stop everything"))
                    .AutoClear(false).Overflow(VerticalOverflow.Ellipsis)
                    .StartAsync(async context =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            await Task.Delay(s_refresh, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                            var sample = await SampleAsync();
                            context.UpdateTarget(LiveView.Render(sample, options,
                                stop.IsCancellationRequested ? "stopping..." : "Ctrl-C: stop the workload, check every table, stop everything"));
                        }
                    });
            }
            else
            {
                Console.WriteLine($"KafkaCdc demo: a line every {LogEvery.TotalSeconds:0} s; Ctrl-C (SIGINT) or SIGTERM stops the workload, checks every table and stops.");
                while (!stop.IsCancellationRequested)
                {
                    Console.WriteLine(PlainLog.Line(await SampleAsync()));
                    await Task.Delay(LogEvery, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            return await VerdictAsync(status, counter, workloadStop, workloadTask);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Console.Error.WriteLine("Interrupted again: no verdict.");
            return 130;
        }

        async Task<int> VerdictAsync(StatusClient status, RowCounter counter, CancellationTokenSource workloadStop, Task? workloadTask)
        {
            Console.WriteLine();
            Console.WriteLine("Stopping the workload...");
            workloadStop.Cancel();
            if (workloadTask is not null) await workloadTask.WaitAsync(abort.Token);
            if (workload is not null) Console.WriteLine($"The workload made {Formats.Count(workload.Progress().Changes)} changes ({workload.Progress().State}).");
            var check = new ConsistencyCheck(options, status, counter);
            var lastProgress = "";
            void Progress(string line)
            {
                if (line == lastProgress) return;
                lastProgress = line;
                Console.WriteLine("  " + line);
            }
            var missing = await check.CatchUpAsync(Progress, abort.Token);
            Console.WriteLine(missing is null ? "The pipeline has caught up." : $"The pipeline did not catch up within {ConsistencyCheck.CatchUpTimeout.TotalSeconds:0} s: {missing}");
            var verdicts = await check.CompareAsync(Progress, abort.Token);
            Console.WriteLine();
            Console.WriteLine("Consistency verdict (content compared on the source's columns, in key order):");
            foreach (var v in verdicts)
                Console.WriteLine($"  {v.Table,-12} {(v.Equal ? "EQUAL " : "DIFFERS")}  {Formats.Count(v.SourceRows)} rows at the source, " +
                    $"{(v.DestinationRows is { } d ? Formats.Count(d) : "no table")} at the destination" + (v.FirstDifference is null ? "" : $"; first difference: {v.FirstDifference}"));
            var equal = missing is null && verdicts.All(v => v.Equal);
            Console.WriteLine(equal
                ? $"PASS: all {verdicts.Count} tables equal at source and destination ({Formats.Count(verdicts.Sum(v => v.SourceRows))} rows checked)."
                : $"FAIL: {verdicts.Count(v => !v.Equal)} of {verdicts.Count} tables differ" + (missing is null ? "." : "; the pipeline had not caught up."));
            return equal ? 0 : 1;
        }
    }
}
