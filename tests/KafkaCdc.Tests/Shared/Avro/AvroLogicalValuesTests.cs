using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class AvroLogicalValuesTests
{
    [TestCase(1970, 1, 1, 0)]
    [TestCase(2000, 3, 1, 11017)]
    [TestCase(1969, 12, 31, -1)]
    [TestCase(1, 1, 1, -719162)]
    [TestCase(9999, 12, 31, 2932896)]
    public void DaysSinceEpoch_RoundTripsThroughDateFromDays(int year, int month, int day, int days)
    {
        var date = new DateOnly(year, month, day);

        Assert.That(AvroLogicalValues.DaysSinceEpoch(date), Is.EqualTo(days));
        Assert.That(AvroLogicalValues.DateFromDays(days), Is.EqualTo(date));
    }

    [TestCase(-719163)]
    [TestCase(2932897)]
    [TestCase(int.MaxValue)]
    [TestCase(int.MinValue)]
    public void TryDateFromDays_BeyondDateOnly_ReturnsFalse(int days)
    {
        Assert.That(AvroLogicalValues.TryDateFromDays(days, out _), Is.False);
        Assert.That(() => AvroLogicalValues.DateFromDays(days), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void TimestampMicros_UtcAndOffsetInstants_GiveMicrosSinceEpoch()
    {
        var instant = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);

        Assert.That(AvroLogicalValues.TimestampMicros(instant), Is.EqualTo(1714979289123456L));
        Assert.That(AvroLogicalValues.TimestampMillis(instant), Is.EqualTo(1714979289123L));
        Assert.That(AvroLogicalValues.TimestampMicros(new DateTimeOffset(instant).ToOffset(TimeSpan.FromHours(2))), Is.EqualTo(1714979289123456L));
        Assert.That(AvroLogicalValues.DateTimeFromTimestampMicros(1714979289123456L), Is.EqualTo(instant.AddTicks(-7)));
        Assert.That(AvroLogicalValues.DateTimeFromTimestampMicros(0).Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void TimestampMicros_BeforeEpochWithSubMicroTicks_TruncatesTowardNegativeInfinity()
    {
        var instant = DateTime.UnixEpoch.AddTicks(-1);

        Assert.That(AvroLogicalValues.TimestampMicros(instant), Is.EqualTo(-1));
        Assert.That(AvroLogicalValues.TimestampMillis(instant), Is.EqualTo(-1));
    }

    [Test]
    public void LocalTimestamp_UsesTheClockReadingWhateverTheKindOrOffset()
    {
        var clock = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        var offset = new DateTimeOffset(clock, TimeSpan.FromHours(-5));

        Assert.That(AvroLogicalValues.LocalTimestampMicros(clock), Is.EqualTo(1704164645000000L));
        Assert.That(AvroLogicalValues.LocalTimestampMicros(offset.DateTime), Is.EqualTo(1704164645000000L));
        Assert.That(AvroLogicalValues.DateTimeFromLocalTimestampMicros(1704164645000000L), Is.EqualTo(clock));
        Assert.That(AvroLogicalValues.DateTimeFromLocalTimestampMillis(1704164645000L).Kind, Is.EqualTo(DateTimeKind.Unspecified));
    }

    [TestCase(long.MaxValue)]
    [TestCase(long.MinValue)]
    [TestCase(-62135596800000001L)]
    public void TryDateTimeFromTimestampMicros_BeyondDateTime_ReturnsFalse(long micros)
    {
        Assert.That(AvroLogicalValues.TryDateTimeFromTimestampMicros(micros, out _), Is.False);
        Assert.That(() => AvroLogicalValues.DateTimeFromTimestampMicros(micros), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void TimestampMicros_DateTimeMinValue_IsTheFirstRepresentableMicro()
    {
        Assert.That(AvroLogicalValues.TimestampMicros(DateTime.MinValue), Is.EqualTo(-62135596800000000L));
        Assert.That(AvroLogicalValues.DateTimeFromTimestampMicros(-62135596800000000L), Is.EqualTo(DateTime.MinValue));
    }

    [Test]
    public void Times_ConvertBothWays()
    {
        var time = new TimeOnly(13, 14, 15, 16, 17);

        Assert.That(AvroLogicalValues.TimeMicros(time), Is.EqualTo(47655016017L));
        Assert.That(AvroLogicalValues.TimeMillis(time), Is.EqualTo(47655016));
        Assert.That(AvroLogicalValues.TimeOnlyFromMicros(47655016017L), Is.EqualTo(time));
        Assert.That(AvroLogicalValues.TimeOnlyFromMillis(47655016), Is.EqualTo(new TimeOnly(13, 14, 15, 16)));
        Assert.That(AvroLogicalValues.TimeMicros(TimeSpan.FromDays(1)), Is.EqualTo(86400000000L), "PostgreSQL's 24:00:00");
        Assert.That(AvroLogicalValues.TimeSpanFromMicros(86400000000L), Is.EqualTo(TimeSpan.FromDays(1)));
    }

    [Test]
    public void Times_OutsideADay_Throw()
    {
        Assert.That(() => AvroLogicalValues.TimeMicros(TimeSpan.FromHours(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => AvroLogicalValues.TimeMillis(TimeSpan.FromHours(25)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => AvroLogicalValues.TimeOnlyFromMicros(86400000000L), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => AvroLogicalValues.TimeOnlyFromMillis(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
