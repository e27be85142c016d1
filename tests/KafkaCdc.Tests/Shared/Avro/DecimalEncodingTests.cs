using System.Numerics;
using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

public class DecimalEncodingTests
{
    private static readonly PrimitiveSchema Bytes10_2 = AvroSchema.Decimal(10, 2);

    [TestCase("0.00", "0200")]
    [TestCase("1.27", "027f")]
    [TestCase("1.28", "040080")]
    [TestCase("-1.28", "0280")]
    [TestCase("-1.29", "04ff7f")]
    [TestCase("-0.01", "02ff")]
    [TestCase("655.36", "06010000")]
    public void Write_BytesDecimal_IsMinimalBigEndianTwosComplement(string value, string hex)
    {
        Assert.That(Hex(Encode(Bytes10_2, AvroDecimal.Parse(value))), Is.EqualTo(hex));
        Assert.That(Decode(Bytes10_2, Hex(hex)), Is.EqualTo(AvroDecimal.Parse(value)));
    }

    [TestCase("1.5")]
    [TestCase("-7")]
    [TestCase("12345678.90")]
    [TestCase("-99999999.99")]
    public void Write_ClrDecimalAndAvroDecimal_GiveTheSameBytes(string value)
    {
        var clr = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(Encode(Bytes10_2, clr), Is.EqualTo(Encode(Bytes10_2, AvroDecimal.Parse(value))));
    }

    [Test]
    public void Write_ClrDecimalNeedingLargeRescale_FallsBackExactly()
    {
        var schema = AvroSchema.Decimal(60, 30);

        var decoded = (AvroDecimal)RoundTrip(schema, 79228162514264337593543950335m)!;

        Assert.That(decoded.ToString(), Is.EqualTo("79228162514264337593543950335." + new string('0', 30)));
    }

    [TestCase("4", "00000004")]
    [TestCase("-1", "ffffffff")]
    [TestCase("-129", "ffffff7f")]
    [TestCase("999999999", "3b9ac9ff")]
    [TestCase("-999999999", "c4653601")]
    public void Write_FixedDecimal_IsSignExtendedToTheSize(string value, string hex)
    {
        var schema = new FixedSchema("D", null, 4, new DecimalLogicalType(9, 0));

        Assert.That(Hex(Encode(schema, AvroDecimal.Parse(value))), Is.EqualTo(hex));
        Assert.That(Hex(Encode(schema, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture))), Is.EqualTo(hex));
        Assert.That(Decode(schema, Hex(hex)), Is.EqualTo(AvroDecimal.Parse(value)));
    }

    [Test]
    public void Write_FixedDecimalAtItsPrecisionLimit_FitsAndOneMoreDigitThrows()
    {
        var schema = new FixedSchema("D", null, 1, new DecimalLogicalType(2, 0));

        Assert.That(Hex(Encode(schema, AvroDecimal.Parse("-99"))), Is.EqualTo("9d"));
        Assert.That(() => Encode(schema, AvroDecimal.Parse("100")), Throws.InstanceOf<AvroEncodingException>().With.Message.Contains("more than the 2 digits"));
    }

    [Test]
    public void Write_TooManyDigits_Throws()
    {
        Assert.That(() => Encode(Bytes10_2, AvroDecimal.Parse("123456789.01")),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("123456789.01 has more than the 10 digits of decimal(10,2)"));
        Assert.That(() => Encode(Bytes10_2, 123456789.01m), Throws.InstanceOf<AvroEncodingException>());
    }

    [Test]
    public void Write_WouldRound_Throws()
    {
        Assert.That(() => Encode(Bytes10_2, AvroDecimal.Parse("1.005")),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("1.005 cannot be written with scale 2 without rounding"));
        Assert.That(() => Encode(Bytes10_2, 1.005m), Throws.InstanceOf<AvroEncodingException>().With.Message.Contains("without rounding"));
    }

    [Test]
    public void Write_ExactRescale_IsAccepted()
    {
        Assert.That(Decode(Bytes10_2, Encode(Bytes10_2, AvroDecimal.Parse("1.5000"))), Is.EqualTo(AvroDecimal.Parse("1.50")));
        Assert.That(Decode(Bytes10_2, Encode(Bytes10_2, 3m)), Is.EqualTo(AvroDecimal.Parse("3.00")));
    }

    [Test]
    public void RoundTrip_ThousandDigitNumeric_IsExact()
    {
        var schema = AvroSchema.Decimal(1000, 500);
        var text = "-" + string.Concat(Enumerable.Repeat("9876543210", 50)) + "." + string.Concat(Enumerable.Repeat("0123456789", 50));

        var decoded = (AvroDecimal)RoundTrip(schema, AvroDecimal.Parse(text))!;

        Assert.That(decoded.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void Write_RawBytesIntoBytesDecimal_AreWrittenAsTheyAre()
    {
        Assert.That(Hex(Encode(Bytes10_2, new byte[] { 0x01, 0x00 })), Is.EqualTo("040100"));
    }

    [Test]
    public void Read_DecimalWithNoBytes_Throws()
    {
        Assert.That(() => Decode(Bytes10_2, Hex("00")),
            Throws.InstanceOf<AvroDecodingException>().With.Message.Contains("decimal with zero bytes"));
    }

    [Test]
    public void Read_FixedDecimalOfSixteenBytes_HandlesTheFullRange()
    {
        var schema = new FixedSchema("D", null, 16, new DecimalLogicalType(38, 0));
        var max = BigInteger.Parse(new string('9', 38));

        Assert.That(Decode(schema, Encode(schema, new AvroDecimal(-max, 0))), Is.EqualTo(new AvroDecimal(-max, 0)));
    }
}
