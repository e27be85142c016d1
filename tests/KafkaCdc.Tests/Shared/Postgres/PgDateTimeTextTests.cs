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
}
