namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Conversions between the encoded form of date, time and timestamp logical types and .NET's date and time types.
/// Decoders return the encoded integers because PostgreSQL's ranges (dates to 5874897 AD, timestamps to 294276 AD,
/// and before year 1) exceed <see cref="DateOnly"/> and <see cref="DateTime"/>; convert with these where the value fits.
/// </summary>
/// <remarks>
/// Timestamps (<c>timestamp-*</c>) are instants: a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Local"/> is
/// converted to UTC first, one of kind <see cref="DateTimeKind.Unspecified"/> is taken as UTC. Local timestamps
/// (<c>local-timestamp-*</c>) are wall-clock readings: the clock value is used whatever the kind or offset.
/// Going to a coarser unit truncates toward negative infinity (as Java's <c>Math.floorDiv</c>), so
/// 1969-12-31T23:59:59.9999999 is −1 µs and −1 ms.
/// </remarks>
public static class AvroLogicalValues
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The <c>date</c> value of <paramref name="date"/>: days since 1970-01-01.</summary>
    public static int DaysSinceEpoch(DateOnly date) => date.DayNumber - EpochDayNumber;

    /// <summary>The date <paramref name="days"/> days after 1970-01-01.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0001-01-01 to 9999-12-31.</exception>
    public static DateOnly DateFromDays(int days) =>
        TryDateFromDays(days, out var date) ? date : throw new ArgumentOutOfRangeException(nameof(days), days, "outside the range of DateOnly");

    /// <summary>The date <paramref name="days"/> days after 1970-01-01, when <see cref="DateOnly"/> can hold it.</summary>
    public static bool TryDateFromDays(int days, out DateOnly date)
    {
        var dayNumber = (long)days + EpochDayNumber;
        var ok = dayNumber >= DateOnly.MinValue.DayNumber && dayNumber <= DateOnly.MaxValue.DayNumber;
        date = ok ? DateOnly.FromDayNumber((int)dayNumber) : default;
        return ok;
    }

    /// <summary>The <c>timestamp-micros</c> value of an instant.</summary>
    public static long TimestampMicros(DateTime instant) => FloorDiv(UtcTicks(instant) - EpochTicks, TicksPerMicrosecond);

    /// <summary>The <c>timestamp-micros</c> value of an instant.</summary>
    public static long TimestampMicros(DateTimeOffset instant) => FloorDiv(instant.UtcTicks - EpochTicks, TicksPerMicrosecond);

    /// <summary>The <c>timestamp-millis</c> value of an instant.</summary>
    public static long TimestampMillis(DateTime instant) => FloorDiv(UtcTicks(instant) - EpochTicks, TimeSpan.TicksPerMillisecond);

    /// <summary>The <c>timestamp-millis</c> value of an instant.</summary>
    public static long TimestampMillis(DateTimeOffset instant) => FloorDiv(instant.UtcTicks - EpochTicks, TimeSpan.TicksPerMillisecond);

    /// <summary>The <c>local-timestamp-micros</c> value of a wall-clock reading (the kind is ignored).</summary>
    public static long LocalTimestampMicros(DateTime clock) => FloorDiv(clock.Ticks - EpochTicks, TicksPerMicrosecond);

    /// <summary>The <c>local-timestamp-millis</c> value of a wall-clock reading (the kind is ignored).</summary>
    public static long LocalTimestampMillis(DateTime clock) => FloorDiv(clock.Ticks - EpochTicks, TimeSpan.TicksPerMillisecond);

    /// <summary>The UTC instant of a <c>timestamp-micros</c> value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range of <see cref="DateTime"/>.</exception>
    public static DateTime DateTimeFromTimestampMicros(long micros) =>
        TryDateTimeFromTimestampMicros(micros, out var value) ? value : throw OutOfRange(nameof(micros), micros);

    /// <summary>The UTC instant of a <c>timestamp-micros</c> value, when <see cref="DateTime"/> can hold it.</summary>
    public static bool TryDateTimeFromTimestampMicros(long micros, out DateTime value) =>
        TryFromTicks(micros, TicksPerMicrosecond, DateTimeKind.Utc, out value);

    /// <summary>The UTC instant of a <c>timestamp-millis</c> value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range of <see cref="DateTime"/>.</exception>
    public static DateTime DateTimeFromTimestampMillis(long millis) =>
        TryFromTicks(millis, TimeSpan.TicksPerMillisecond, DateTimeKind.Utc, out var value) ? value : throw OutOfRange(nameof(millis), millis);

    /// <summary>The instant of a <c>timestamp-micros</c> value, at offset zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range of <see cref="DateTimeOffset"/>.</exception>
    public static DateTimeOffset DateTimeOffsetFromTimestampMicros(long micros) => new(DateTimeFromTimestampMicros(micros));

    /// <summary>The instant of a <c>timestamp-millis</c> value, at offset zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range of <see cref="DateTimeOffset"/>.</exception>
    public static DateTimeOffset DateTimeOffsetFromTimestampMillis(long millis) => new(DateTimeFromTimestampMillis(millis));

    /// <summary>The wall-clock reading (kind <see cref="DateTimeKind.Unspecified"/>) of a <c>local-timestamp-micros</c> value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range of <see cref="DateTime"/>.</exception>
    public static DateTime DateTimeFromLocalTimestampMicros(long micros) =>
        TryFromTicks(micros, TicksPerMicrosecond, DateTimeKind.Unspecified, out var value) ? value : throw OutOfRange(nameof(micros), micros);

    /// <summary>The wall-clock reading (kind <see cref="DateTimeKind.Unspecified"/>) of a <c>local-timestamp-millis</c> value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the range of <see cref="DateTime"/>.</exception>
    public static DateTime DateTimeFromLocalTimestampMillis(long millis) =>
        TryFromTicks(millis, TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified, out var value) ? value : throw OutOfRange(nameof(millis), millis);

    /// <summary>The <c>time-micros</c> value of a time of day.</summary>
    public static long TimeMicros(TimeOnly time) => time.Ticks / TicksPerMicrosecond;

    /// <summary>The <c>time-millis</c> value of a time of day.</summary>
    public static int TimeMillis(TimeOnly time) => (int)(time.Ticks / TimeSpan.TicksPerMillisecond);

    /// <summary>The <c>time-micros</c> value of a time since midnight, from 00:00 to 24:00 inclusive (PostgreSQL allows 24:00:00).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or more than 24 hours.</exception>
    public static long TimeMicros(TimeSpan sinceMidnight) => CheckTimeOfDay(sinceMidnight).Ticks / TicksPerMicrosecond;

    /// <summary>The <c>time-millis</c> value of a time since midnight, from 00:00 to 24:00 inclusive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or more than 24 hours.</exception>
    public static int TimeMillis(TimeSpan sinceMidnight) => (int)(CheckTimeOfDay(sinceMidnight).Ticks / TimeSpan.TicksPerMillisecond);

    /// <summary>The time of day of a <c>time-micros</c> value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not within a day (24:00 included, which <see cref="TimeOnly"/> cannot hold).</exception>
    public static TimeOnly TimeOnlyFromMicros(long micros) =>
        micros >= 0 && micros < TimeSpan.TicksPerDay / TicksPerMicrosecond
            ? new TimeOnly(micros * TicksPerMicrosecond)
            : throw OutOfRange(nameof(micros), micros);

    /// <summary>The time of day of a <c>time-millis</c> value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not within a day.</exception>
    public static TimeOnly TimeOnlyFromMillis(int millis) =>
        millis >= 0 && millis < TimeSpan.TicksPerDay / TimeSpan.TicksPerMillisecond
            ? new TimeOnly(millis * TimeSpan.TicksPerMillisecond)
            : throw OutOfRange(nameof(millis), millis);

    /// <summary>The time since midnight of a <c>time-micros</c> value (any value; 24:00 included).</summary>
    public static TimeSpan TimeSpanFromMicros(long micros) => TimeSpan.FromTicks(checked(micros * TicksPerMicrosecond));

    /// <summary>The time since midnight of a <c>time-millis</c> value.</summary>
    public static TimeSpan TimeSpanFromMillis(int millis) => TimeSpan.FromTicks(millis * TimeSpan.TicksPerMillisecond);

    private static long UtcTicks(DateTime instant) =>
        instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime().Ticks : instant.Ticks;

    private static bool TryFromTicks(long units, long ticksPerUnit, DateTimeKind kind, out DateTime value)
    {
        // Bound before multiplying so that huge values cannot overflow.
        var minUnits = -EpochTicks / ticksPerUnit;
        var maxUnits = (DateTime.MaxValue.Ticks - EpochTicks) / ticksPerUnit;
        var ok = units >= minUnits && units <= maxUnits;
        value = ok ? new DateTime(EpochTicks + (units * ticksPerUnit), kind) : default;
        return ok;
    }

    private static TimeSpan CheckTimeOfDay(TimeSpan sinceMidnight) =>
        sinceMidnight >= TimeSpan.Zero && sinceMidnight <= TimeSpan.FromDays(1)
            ? sinceMidnight
            : throw new ArgumentOutOfRangeException(nameof(sinceMidnight), sinceMidnight, "a time of day is from 00:00 to 24:00");

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return value % divisor < 0 ? quotient - 1 : quotient;
    }

    private static ArgumentOutOfRangeException OutOfRange(string name, long value) =>
        new(name, value, "outside the range of the .NET type");
}
