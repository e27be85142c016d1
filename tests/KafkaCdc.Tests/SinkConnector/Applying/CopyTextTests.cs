using System.Text;
using KafkaCdc.SinkConnector.Applying;

namespace KafkaCdc.Tests.SinkConnector.Applying;

public class CopyTextTests
{
    [TestCase(null, "\\N")]
    [TestCase("", "")]
    [TestCase("plain", "plain")]
    [TestCase("\\N", "\\\\N")]
    [TestCase("a\tb\nc\rd\\e", "a\\tb\\nc\\rd\\\\e")]
    [TestCase("\\.", "\\\\.")]
    [TestCase("😀 ü", "😀 ü")]
    public void AppendValue_EscapesWhatCopyTextFormatNeeds(string? value, string expected)
    {
        var output = new StringBuilder();
        CopyText.AppendValue(output, value);
        Assert.That(output.ToString(), Is.EqualTo(expected));
    }
}
