using KafkaCdc.DevStack;

namespace KafkaCdc.Tests.DevStack;

public class DevStackOptionsTests
{
    [Test]
    public void Parse_AllOptions_Read()
    {
        var options = DevStackOptions.Parse(["--env-file", "x.env", "--brokers", "5", "--postgres", "--parent-pid", "42", "--admin-port", "8099"]);

        Assert.That(options, Is.EqualTo(new DevStackOptions("x.env", 5, true, 42, 8099)));
    }

    [Test]
    public void Parse_NoOptions_ThreeBrokersNoPostgresFreeAdminPort()
    {
        Assert.That(DevStackOptions.Parse([]), Is.EqualTo(new DevStackOptions(null, 3, false, null, 0)));
    }

    [TestCase(new[] { "--brokers", "0" }, "--brokers must be a whole number from 1 to 64, not '0'")]
    [TestCase(new[] { "--brokers" }, "--brokers needs a value")]
    [TestCase(new[] { "--env-file", "--postgres" }, "--env-file needs a value")]
    [TestCase(new[] { "--kafka" }, "unknown option --kafka")]
    public void Parse_BadOption_NamesIt(string[] args, string message)
    {
        Assert.That(() => DevStackOptions.Parse(args), Throws.TypeOf<FormatException>().With.Message.EqualTo(message));
    }
}
