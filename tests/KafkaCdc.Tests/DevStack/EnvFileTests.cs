using KafkaCdc.DevStack;

namespace KafkaCdc.Tests.DevStack;

public class EnvFileTests
{
    [TestCase("127.0.0.1:9092,127.0.0.1:9093", "K=127.0.0.1:9092,127.0.0.1:9093")]
    [TestCase("http://127.0.0.1:8081", "K=http://127.0.0.1:8081")]
    [TestCase("Host=h;Port=1;SSL Mode=Disable", "K='Host=h;Port=1;SSL Mode=Disable'")]
    [TestCase("it's", "K='it'\\''s'")]
    public void FormatLine_Value_QuotedOnlyWhenTheShellWouldInterpretIt(string value, string expected)
    {
        Assert.That(EnvFile.FormatLine("K", value), Is.EqualTo(expected));
        Assert.That(EnvFile.Parse(expected + "\n")["K"], Is.EqualTo(value));
    }

    [Test]
    public async Task WriteAsync_ExistingFile_ReplacedWholeAndNoTemporaryLeft()
    {
        var directory = Directory.CreateTempSubdirectory("kafkacdc-envfile-").FullName;
        try
        {
            var path = Path.Combine(directory, "x.env");
            await File.WriteAllTextAsync(path, "OLD=1\n");

            await EnvFile.WriteAsync(path, [new("A", "1"), new("B", "x y")], CancellationToken.None);

            Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("A=1\nB='x y'\n"));
            Assert.That(Directory.GetFiles(directory), Has.Length.EqualTo(1));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
