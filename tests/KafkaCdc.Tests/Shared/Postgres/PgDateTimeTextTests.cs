using System.Globalization;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgDateTimeTextTests
{
    /// <summary>PostgreSQL's date range: 4714-11-24 BC to 5874897-12-31.</summary>
    private const int FirstDay = -2440588, LastDay = 2145042905;

    [Test]
    public void FormatDate_DaysWithinDotNetRange_AgreesWithDateOnly()
    {
        var random = new Random(20240229);
        for (var i = 0; i < 10_000; i++)
        {
            var date = DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber + 1));
            var days = date.DayNumber - new DateOnly(1970, 1, 1).DayNumber;

            Assert.That(PgDateTimeText.FormatDate(days), Is.EqualTo(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void ParseDate_FormattedDays_RoundTripsOverTheWholeRange()
    {
        var random = new Random(44);
        foreach (var days in Enumerable.Range(0, 20_000).Select(_ => random.Next(FirstDay, LastDay + 1)).Concat([FirstDay, LastDay, -719163, -719162]))
        {
            Assert.That(PgDateTimeText.ParseDate(PgDateTimeText.FormatDate(days)), Is.EqualTo(days), PgDateTimeText.FormatDate(days));
        }
    }

    [Test]
    public void ParseTimestamp_FormattedMicros_RoundTripsOverTheWholeRange()
    {
        var random = new Random(1970);
        const long first = -210866803200000000L;
        for (var i = 0; i < 20_000; i++)
        {
            var micros = random.NextInt64(first, long.MaxValue);
            foreach (var withTimeZone in new[] { false, true })
            {
                var text = PgDateTimeText.FormatTimestamp(micros, withTimeZone);
                Assert.That(PgDateTimeText.TryParseTimestamp(text, withTimeZone, out var parsed) ? parsed : (long?)null, Is.EqualTo(micros), text);
            }
        }
    }

    [Test]
    public void ParseTime_FormattedMicros_RoundTrips()
    {
        var random = new Random(24);
        foreach (var micros in Enumerable.Range(0, 10_000).Select(_ => random.NextInt64(0, PgDateTimeText.MicrosPerDay + 1)).Append(PgDateTimeText.MicrosPerDay))
        {
            Assert.That(PgDateTimeText.ParseTime(PgDateTimeText.FormatTime(micros)), Is.EqualTo(micros));
        }
    }

    [TestCase("0000-01-01")]
    [TestCase("2023-02-29")]
    [TestCase("0002-02-29 BC")]
    [TestCase("2024-13-01")]
    [TestCase("2024-1-01")]
    [TestCase("2024-01-01 AD")]
    public void ParseDate_InvalidDate_Throws(string text) =>
        Assert.That(() => PgDateTimeText.ParseDate(text), Throws.TypeOf<FormatException>());

    [Test]
    public void ParseDate_LeapDayOfBcLeapYear_IsValid() =>
        Assert.That(PgDateTimeText.FormatDate(PgDateTimeText.ParseDate("0001-02-29 BC")), Is.EqualTo("0001-02-29 BC"));

    [Test]
    public void FormatIsoInstant_MicrosWithinDotNetRange_AgreesWithDateTimeOffset()
    {
        var random = new Random(1184);
        var unixEpoch = DateTimeOffset.UnixEpoch.UtcTicks;
        for (var i = 0; i < 10_000; i++)
        {
            var instant = new DateTimeOffset(random.NextInt64(0, DateTimeOffset.MaxValue.UtcTicks / 10) * 10, TimeSpan.Zero);
            var micros = (instant.UtcTicks - unixEpoch) / 10;

            Assert.That(PgDateTimeText.FormatIsoInstant(micros), Is.EqualTo(instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void ParseIsoInstant_FormattedMicros_RoundTripsOverPostgresRange()
    {
        var random = new Random(8601);
        Int128 first = -210866803200000000L, last = Int128.Parse("9224318015999999999", CultureInfo.InvariantCulture);
        foreach (var micros in Enumerable.Range(0, 20_000).Select(_ => (Int128)random.NextInt64(long.MinValue, long.MaxValue) + random.NextInt64(0, 2) * (Int128)long.MaxValue)
                     .Where(m => m >= first && m <= last).Concat([first, last, 0, -1]))
        {
            var text = PgDateTimeText.FormatIsoInstant(micros);
            Assert.That(PgDateTimeText.ParseIsoInstant(text), Is.EqualTo(micros), text);
        }
    }

    [TestCase("2024-05-06T07:08:09Z", "2024-05-06T07:08:09Z")]
    [TestCase("2024-05-06T09:08:09.5+02:00", "2024-05-06T07:08:09.5Z")]
    [TestCase("2024-05-06T07:08:09.123456000Z", "2024-05-06T07:08:09.123456Z")]
    [TestCase("2024-05-06T24:00:00Z", "2024-05-07T00:00:00Z")]
    [TestCase("-0001-12-31T23:59:59.999999Z", "-0001-12-31T23:59:59.999999Z")]
    [TestCase("+294276-12-31T23:59:59.999999Z", "+294276-12-31T23:59:59.999999Z")]
    public void ParseIsoInstant_OffsetsAndEdges_GiveTheInstant(string text, string utc) =>
        Assert.That(PgDateTimeText.FormatIsoInstant(PgDateTimeText.ParseIsoInstant(text)), Is.EqualTo(utc));

    [TestCase("2024-05-06T07:08:09.1234567Z")]
    [TestCase("2024-05-06T24:00:01Z")]
    [TestCase("2024-02-30T00:00:00Z")]
    [TestCase("2024-05-06T07:08:09.Z")]
    [TestCase("2024-05-06 07:08:09Z")]
    [TestCase("2024-05-06T07:08:09")]
    public void ParseIsoInstant_NotAnInstant_ThrowsNamingTheText(string text) =>
        Assert.That(() => PgDateTimeText.ParseIsoInstant(text), Throws.TypeOf<FormatException>().With.Message.Contains(text));

    [TestCase("2024-05-06T07:08:09Z", true)]
    [TestCase("2024-05-06T07:08:09.1Z", true)]
    [TestCase("0001-01-01T00:00:00.000001Z", true)]
    [TestCase("9999-12-31T23:59:59.999999Z", true)]
    [TestCase("2024-02-29T00:00:00Z", true)]
    [TestCase("2023-02-29T00:00:00Z", false)]
    [TestCase("0000-01-01T00:00:00Z", false)]
    [TestCase("+10000-01-01T00:00:00Z", false)]
    [TestCase("-0001-01-01T00:00:00Z", false)]
    [TestCase("2024-05-06T24:00:00Z", false)]
    [TestCase("2024-05-06T07:60:09Z", false)]
    [TestCase("2024-05-06T07:08:09.Z", false)]
    [TestCase("2024-05-06T07:08:09.1234567Z", false)]
    [TestCase("2024-05-06T07:08:09+02:00", false)]
    [TestCase("2024-13-06T07:08:09Z", false)]
    [TestCase("2024-05-06 07:08:09Z", false)]
    public void IsPlainIsoInstant_TakesOnlyWhatPostgresReadsAsIs(string text, bool plain)
    {
        Assert.That(PgDateTimeText.IsPlainIsoInstant(text.AsSpan()), Is.EqualTo(plain));
        Assert.That(PgDateTimeText.IsPlainIsoInstant<byte>(System.Text.Encoding.UTF8.GetBytes(text)), Is.EqualTo(plain));
    }

    [Test]
    public void TryIsoInstantOfUtcText_PostgresUtcText_GivesWhatFormatIsoInstantGives()
    {
        var random = new Random(1185);
        const long first = -62135596800000000L, end = 253402300800000000L;
        foreach (var micros in Enumerable.Range(0, 20_000).Select(i => random.NextInt64(first, end) is var m && i % 2 == 0 ? m - (m % 1000) : m).Concat([first, end - 1, 0]))
        {
            var text = PgDateTimeText.FormatTimestamp(micros, withTimeZone: true);

            Assert.That(PgDateTimeText.TryIsoInstantOfUtcText(text, out var iso) ? iso : null, Is.EqualTo(PgDateTimeText.FormatIsoInstant(micros)), text);
        }
    }

    [TestCase("2024-05-06 07:08:09+02")]
    [TestCase("2024-05-06 07:08:09+00:30")]
    [TestCase("0001-05-06 07:08:09+00 BC")]
    [TestCase("10000-05-06 07:08:09+00")]
    [TestCase("infinity")]
    [TestCase("2024-05-06 07:08:09.10+00")]
    public void TryIsoInstantOfUtcText_OtherText_LeavesItToTheParser(string text) =>
        Assert.That(PgDateTimeText.TryIsoInstantOfUtcText(text, out _), Is.False);
}
