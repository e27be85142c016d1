using KafkaCdc.Shared.Hosting;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>The source's command line: run, check and its own reset-offsets.</summary>
public class CommandLineTests
{
    static readonly Dictionary<string, string> s_extra = new() { ["reset-offsets"] = "forget the stored offset" };

    [TestCase(new[] { "--config", "s.json" }, "run")]
    [TestCase(new[] { "check", "--config", "s.json" }, "check")]
    [TestCase(new[] { "reset-offsets", "--config=s.json" }, "reset-offsets")]
    public void Parse_Commands(string[] args, string command)
    {
        var parsed = ConnectorCommandLine.Parse(args, "source", TextWriter.Null, s_extra);

        Assert.That(parsed, Is.EqualTo(new ConnectorCommandLine(command, "s.json")));
    }

    [Test]
    public void Parse_Signal_KeepsTheWordsAfterTheCommand()
    {
        var extra = new Dictionary<string, string>(s_extra) { ["signal"] = "send a signal" };

        var parsed = ConnectorCommandLine.Parse(["signal", "--config", "s.json", "execute-snapshot", "public.a", "public.b"], "source", TextWriter.Null, extra);

        Assert.That(parsed!.Command, Is.EqualTo("signal"));
        Assert.That(parsed.ConfigPath, Is.EqualTo("s.json"));
        Assert.That(parsed.Arguments, Is.EqualTo(new[] { "execute-snapshot", "public.a", "public.b" }));
    }

    [Test]
    public void Parse_UnknownCommand_PrintsUsageWithTheExtraCommand()
    {
        var error = new StringWriter();

        Assert.That(ConnectorCommandLine.Parse(["reset", "--config", "s.json"], "source", error, s_extra), Is.Null);
        Assert.That(error.ToString(), Does.Contain("unexpected argument 'reset'").And.Contain("[run|check|reset-offsets]").And.Contain("forget the stored offset"));
    }

    [Test]
    public void Parse_WithoutExtraCommands_RejectsResetOffsets() =>
        Assert.That(ConnectorCommandLine.Parse(["reset-offsets"], "sink", TextWriter.Null), Is.Null);

    [Test]
    public void InlineSocketCompletions_AreOn_UnlessTheEnvironmentSaysOtherwise()
    {
        const string variable = KafkaCdc.SourceConnector.SourceProgram.InlineCompletionsVariable;
        var saved = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, null);
            KafkaCdc.SourceConnector.SourceProgram.RunSocketCompletionsInline();
            Assert.That(Environment.GetEnvironmentVariable(variable), Is.EqualTo("1"));

            Environment.SetEnvironmentVariable(variable, "0");
            KafkaCdc.SourceConnector.SourceProgram.RunSocketCompletionsInline();
            Assert.That(Environment.GetEnvironmentVariable(variable), Is.EqualTo("0"), "an operator's setting wins");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }
}
