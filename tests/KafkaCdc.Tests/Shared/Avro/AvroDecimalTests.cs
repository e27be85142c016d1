using System.Numerics;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class AvroDecimalTests
{
    [TestCase("0", "0", 0)]
    [TestCase("-0", "0", 0)]
    [TestCase("0.00", "0", 2)]
    [TestCase("123.45", "12345", 2)]
    [TestCase("-123.45", "-12345", 2)]
    [TestCase("+7", "7", 0)]
    [TestCase("-0.050", "-50", 3)]
    [TestCase(".5", "5", 1)]
    [TestCase("5.", "5", 0)]
    [TestCase("1.5E+3", "1500", 0)]
    [TestCase("1.5e-3", "15", 4)]
    [TestCase("12E1", "120", 0)]
    public void Parse_DecimalText_GivesUnscaledAndScale(string text, string unscaled, int scale)
    {
        var value = AvroDecimal.Parse(text);

        Assert.That(value.Unscaled, Is.EqualTo(BigInteger.Parse(unscaled)));
        Assert.That(value.Scale, Is.EqualTo(scale));
    }

    [TestCase("")]
    [TestCase("-")]
    [TestCase(".")]
    [TestCase("1.2.3")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase(" 1")]
    [TestCase("1e")]
    [TestCase("1e99999999")]
    [TestCase("0x10")]
    public void TryParse_NotADecimal_ReturnsFalse(string text)
    {
        Assert.That(AvroDecimal.TryParse(text, out _), Is.False);
        Assert.That(() => AvroDecimal.Parse(text), Throws.InstanceOf<FormatException>());
    }

    [TestCase("12345", 2, "123.45")]
    [TestCase("-5", 3, "-0.005")]
    [TestCase("0", 2, "0.00")]
    [TestCase("-12345", 0, "-12345")]
    [TestCase("100", 2, "1.00")]
    public void ToString_GivesExactPlainText(string unscaled, int scale, string text)
    {
        Assert.That(new AvroDecimal(BigInteger.Parse(unscaled), scale).ToString(), Is.EqualTo(text));
    }

    [Test]
    public void ParseAndToString_ThousandDigits_RoundTripExactly()
    {
        var text = "-" + string.Concat(Enumerable.Range(0, 600).Select(i => (char)('1' + (i % 9)))) + "." + new string('7', 400);

        var value = AvroDecimal.Parse(text);

        Assert.That(value.ToString(), Is.EqualTo(text));
        Assert.That(value.Scale, Is.EqualTo(400));
        Assert.That(value.Precision, Is.EqualTo(1000));
    }

    [TestCase("79228162514264337593543950335")]
    [TestCase("-79228162514264337593543950335")]
    [TestCase("0.0000000000000000000000000001")]
    [TestCase("1.50")]
    [TestCase("-0.001")]
    [TestCase("0")]
    public void DecimalConversions_ValuesDecimalHolds_RoundTrip(string text)
    {
        var clr = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        AvroDecimal value = clr;

        Assert.That(value.ToString(), Is.EqualTo(text));
        Assert.That(value.ToDecimal(), Is.EqualTo(clr));
        Assert.That(decimal.GetBits(value.ToDecimal())[3], Is.EqualTo(decimal.GetBits(clr)[3]), "scale is kept");
    }

    [TestCase("79228162514264337593543950336")]
    [TestCase("0.00000000000000000000000000001")]
    [TestCase("1.0000000000000000000000000000001")]
    public void TryToDecimal_DoesNotFitExactly_ReturnsFalse(string text)
    {
        Assert.That(AvroDecimal.Parse(text).TryToDecimal(out _), Is.False);
        Assert.That(() => AvroDecimal.Parse(text).ToDecimal(), Throws.InstanceOf<OverflowException>());
    }

    [Test]
    public void TryToDecimal_TrailingZerosBeyondDecimalScale_AreDropped()
    {
        var value = AvroDecimal.Parse("1.5" + new string('0', 40));

        Assert.That(value.ToDecimal(), Is.EqualTo(1.5m));
    }

    [TestCase("1.5", 3, "1.500")]
    [TestCase("1.500", 1, "1.5")]
    [TestCase("-2.00", 0, "-2")]
    public void Rescale_Exact_ChangesScaleOnly(string text, int scale, string expected)
    {
        Assert.That(AvroDecimal.Parse(text).Rescale(scale).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Rescale_WouldRound_Throws()
    {
        Assert.That(AvroDecimal.Parse("1.25").TryRescale(1, out _), Is.False);
        Assert.That(() => AvroDecimal.Parse("1.25").Rescale(1), Throws.InstanceOf<ArithmeticException>().With.Message.Contains("1.25"));
    }

    [Test]
    public void Equality_IsByRepresentation_ComparisonIsNumeric()
    {
        var a = AvroDecimal.Parse("1.0");
        var b = AvroDecimal.Parse("1.00");

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a.CompareTo(b), Is.Zero);
        Assert.That(AvroDecimal.Parse("-1.5") < AvroDecimal.Parse("-1.49"), Is.True);
        Assert.That(AvroDecimal.Parse("2") > AvroDecimal.Parse("1.999"), Is.True);
        Assert.That(AvroDecimal.Parse("1.50"), Is.EqualTo(new AvroDecimal(150, 2)));
    }

    [Test]
    public void Constructor_NegativeScale_Throws()
    {
        Assert.That(() => new AvroDecimal(1, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
