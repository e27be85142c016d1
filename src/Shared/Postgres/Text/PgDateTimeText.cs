using System.Globalization;
using System.Numerics;
using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// PostgreSQL's ISO text forms (<c>DateStyle=ISO</c>) of <c>date</c>, <c>time</c>, <c>timestamp</c> and
/// <c>timestamptz</c>, to and from the Avro integers of the contract: days since 1970-01-01, microseconds after
/// midnight, microseconds since 1970-01-01T00:00 (wall clock, or UTC with a time zone).
/// </summary>
/// <remarks>
/// Dates are proleptic Gregorian with astronomical year numbering inside (1 BC is year 0), as PostgreSQL computes
/// them; the text writes BC years with the <c> BC</c> suffix. PostgreSQL's ranges exceed <see cref="DateTime"/>, so
/// nothing here goes through it. <c>infinity</c> and <c>-infinity</c> map to the integer type's maximum and minimum.
/// </remarks>
internal static class PgDateTimeText
{
    /// <summary>The day number standing for <c>infinity</c>.</summary>
    public const int DateInfinity = int.MaxValue;

    /// <summary>The day number standing for <c>-infinity</c>.</summary>
    public const int DateMinusInfinity = int.MinValue;

    /// <summary>The microseconds standing for <c>infinity</c>.</summary>
    public const long TimestampInfinity = long.MaxValue;

    /// <summary>The microseconds standing for <c>-infinity</c>.</summary>
    public const long TimestampMinusInfinity = long.MinValue;

    /// <summary>Microseconds in a day, also the value of <c>24:00:00</c>.</summary>
    public const long MicrosPerDay = 86_400_000_000L;

    private const long MicrosPerSecond = 1_000_000L;

    /// <summary>Parses <c>2024-01-15</c>, <c>0044-03-15 BC</c>, <c>infinity</c>, <c>-infinity</c>.</summary>
    /// <exception cref="FormatException">Not a date in that form.</exception>
    public static int ParseDate(string text)
    {
        if (text == "infinity")
        {
            return DateInfinity;
        }

        if (text == "-infinity")
        {
            return DateMinusInfinity;
        }

        var position = 0;
        var date = ReadDate(text, ref position);
        var days = ReadEra(text, ref position, date);
        ExpectEnd(text, position);
        return checked((int)days);
    }

    /// <summary>Parses <c>HH:MM:SS[.ffffff]</c>, up to <c>24:00:00</c>, to microseconds after midnight.</summary>
    /// <exception cref="FormatException">Not a time of day in that form.</exception>
    public static long ParseTime(string text)
    {
        var position = 0;
        var micros = ReadTime(text, ref position);
        ExpectEnd(text, position);
        return micros;
    }

    /// <summary>True for <c>infinity</c> (<paramref name="sign"/> 1) and <c>-infinity</c> (-1).</summary>
    public static bool IsInfinity(string text, out int sign)
    {
        sign = text switch
        {
            "infinity" => 1,
            "-infinity" => -1,
            _ => 0,
        };
        return sign != 0;
    }

    /// <summary>
    /// Parses a finite <c>YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]][ BC]</c> (the offset only
    /// <paramref name="withTimeZone"/>) to microseconds since 1970-01-01 00:00 (UTC when <paramref name="withTimeZone"/>),
    /// as a 128-bit number: the last ~30 years of PostgreSQL's range (after 294247-01-10) do not fit 64 bits.
    /// </summary>
    /// <exception cref="FormatException">Not a finite timestamp in that form.</exception>
    public static Int128 ParseTimestampMicros(string text, bool withTimeZone)
    {
        var position = 0;
        var date = ReadDate(text, ref position);
        Expect(text, ref position, ' ');
        var time = ReadTime(text, ref position);
        var offsetSeconds = 0L;
        if (withTimeZone)
        {
            offsetSeconds = ReadOffset(text, ref position);
        }

        var days = ReadEra(text, ref position, date);
        ExpectEnd(text, position);
        return ((Int128)days * MicrosPerDay) + time - ((Int128)offsetSeconds * MicrosPerSecond);
    }

    /// <summary>
    /// Parses a timestamp to 64-bit microseconds since 1970, the infinities to <see cref="TimestampInfinity"/> and
    /// <see cref="TimestampMinusInfinity"/>; false for an instant that 64 bits cannot hold apart from those sentinels
    /// (from 294247-01-10 04:00:54.775807 on), which the contract carries as text instead.
    /// </summary>
    /// <exception cref="FormatException">Not a timestamp.</exception>
    public static bool TryParseTimestamp(string text, bool withTimeZone, out long micros)
    {
        if (IsInfinity(text, out var sign))
        {
            micros = sign > 0 ? TimestampInfinity : TimestampMinusInfinity;
            return true;
        }

        var value = ParseTimestampMicros(text, withTimeZone);
        var fits = value > TimestampMinusInfinity && value < TimestampInfinity;
        micros = fits ? (long)value : 0;
        return fits;
    }

    /// <summary>Writes a day number as PostgreSQL does: <c>2024-01-15</c>, <c>0044-03-15 BC</c>, <c>infinity</c>.</summary>
    public static string FormatDate(int days) => days switch
    {
        DateInfinity => "infinity",
        DateMinusInfinity => "-infinity",
        _ => AppendDate(new StringBuilder(16), days, out var bc).Append(bc ? " BC" : "").ToString(),
    };

    /// <summary>Writes microseconds after midnight as <c>HH:MM:SS[.ffffff]</c> (trailing zeros dropped).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 to 24:00:00.</exception>
    public static string FormatTime(long micros)
    {
        if (micros is < 0 or > MicrosPerDay)
        {
            throw new ArgumentOutOfRangeException(nameof(micros), micros, "a time of day is between 0 and 86400000000 µs");
        }

        return AppendTime(new StringBuilder(15), micros).ToString();
    }

    /// <summary>Writes a timestamp as PostgreSQL does (with <c>+00</c> when <paramref name="withTimeZone"/>, as in UTC).</summary>
    public static string FormatTimestamp(long micros, bool withTimeZone)
    {
        switch (micros)
        {
            case TimestampInfinity:
                return "infinity";
            case TimestampMinusInfinity:
                return "-infinity";
        }

        return FormatTimestamp((Int128)micros, withTimeZone);
    }

    /// <summary>Writes a finite timestamp of 128-bit microseconds since 1970 as PostgreSQL does (<c>+00</c> when <paramref name="withTimeZone"/>).</summary>
    public static string FormatTimestamp(Int128 micros, bool withTimeZone)
    {
        var (days, time) = Split(micros);
        var text = AppendDate(new StringBuilder(40), days, out var bc).Append(' ');
        AppendTime(text, time);
        if (withTimeZone)
        {
            text.Append("+00");
        }

        return text.Append(bc ? " BC" : "").ToString();
    }

    /// <summary>
    /// Writes an instant as ISO 8601 in UTC, as Java's <c>DateTimeFormatter.ISO_OFFSET_DATE_TIME</c> does and Debezium's
    /// <c>io.debezium.time.ZonedTimestamp</c> carries it: <c>2024-05-06T07:08:09.123456Z</c>; astronomical years (1 BC is
    /// <c>0000</c>, 2 BC <c>-0001</c>), years after 9999 with a <c>+</c>; fraction digits as needed.
    /// </summary>
    public static string FormatIsoInstant(Int128 micros)
    {
        var (days, time) = Split(micros);
        var (year, month, day) = PgCalendar.CivilFromDays(days);
        var text = new StringBuilder(40);
        if (year > 9999) text.Append('+');
        else if (year < 0) text.Append('-');
        text.Append(Math.Abs(year).ToString("D4", CultureInfo.InvariantCulture)).Append('-')
            .Append(month.ToString("D2", CultureInfo.InvariantCulture)).Append('-')
            .Append(day.ToString("D2", CultureInfo.InvariantCulture)).Append('T');
        return AppendTime(text, time).Append('Z').ToString();
    }

    /// <summary>
    /// Whether <paramref name="text"/> is an ISO 8601 instant PostgreSQL takes as it is for <c>timestamptz</c> input and
    /// reads as the same instant: <c>YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z</c>, year 0001 to 9999, a valid date and a time before
    /// 24:00. <see cref="FormatIsoInstant"/> writes every instant of those years so. Others (years outside, other
    /// offsets, more digits) go through <see cref="ParseIsoInstant"/>.
    /// </summary>
    public static bool IsPlainIsoInstant<T>(ReadOnlySpan<T> text)
        where T : struct, IBinaryInteger<T>
    {
        if (text.Length is < 20 or > 27 || text.Length == 21 || int.CreateTruncating(text[^1]) != 'Z') return false;
        if (!Digits(text, 0, 4, out var year) || year == 0 || !Is(text, 4, '-') || !Digits(text, 5, 2, out var month) || !Is(text, 7, '-')
            || !Digits(text, 8, 2, out var day) || !Is(text, 10, 'T') || !Digits(text, 11, 2, out var hours) || !Is(text, 13, ':')
            || !Digits(text, 14, 2, out var minutes) || !Is(text, 16, ':') || !Digits(text, 17, 2, out var seconds))
        {
            return false;
        }

        if (text.Length > 20 && (!Is(text, 19, '.') || !Digits(text, 20, text.Length - 21, out _))) return false;
        return month is >= 1 and <= 12 && day >= 1 && day <= PgCalendar.DaysInMonth(year, month) && hours < 24 && minutes < 60 && seconds < 60;

        static bool Is(ReadOnlySpan<T> text, int at, char c) => int.CreateTruncating(text[at]) == c;

        static bool Digits(ReadOnlySpan<T> text, int at, int count, out int value)
        {
            value = 0;
            for (var i = at; i < at + count; i++)
            {
                var digit = int.CreateTruncating(text[i]) - '0';
                if (digit is < 0 or > 9) return false;
                value = (value * 10) + digit;
            }

            return true;
        }
    }

    /// <summary>
    /// The fast way to <see cref="FormatIsoInstant"/> of a <c>timestamptz</c> PostgreSQL wrote in UTC
    /// (<c>YYYY-MM-DD HH:MM:SS[.ffffff]+00</c>, years 0001 to 9999): the same text with <c>T</c> and <c>Z</c>, when it is
    /// a plain ISO instant (<see cref="IsPlainIsoInstant{T}"/>). False for anything else (other offsets, BC, infinity).
    /// </summary>
    public static bool TryIsoInstantOfUtcText(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? iso)
    {
        iso = null;
        if (text.Length is < 22 or > 29 || !text.EndsWith("+00", StringComparison.Ordinal) || text[10] != ' ') return false;
        if (text.Length > 22 && text[^4] == '0') return false; // PostgreSQL trims trailing zeros of the fraction; this text did not come from it
        iso = string.Create(text.Length - 2, text, static (span, source) =>
        {
            source.AsSpan(0, source.Length - 3).CopyTo(span);
            span[10] = 'T';
            span[^1] = 'Z';
        });
        if (IsPlainIsoInstant(iso.AsSpan())) return true;
        iso = null;
        return false;
    }

    /// <summary>
    /// Parses ISO 8601 date-time with an offset (<c>Z</c> or <c>±HH:MM[:SS]</c>), as <see cref="FormatIsoInstant"/> writes
    /// it, to microseconds since 1970 UTC. Digits beyond microseconds must be zeros.
    /// </summary>
    /// <exception cref="FormatException">Not such a date-time.</exception>
    public static Int128 ParseIsoInstant(string text)
    {
        var position = 0;
        var negative = false;
        if (position < text.Length && text[position] is '+' or '-')
        {
            negative = text[position++] == '-';
        }

        var (year, month, day) = ReadDate(text, ref position);
        if (negative) year = -year;
        if (month is < 1 or > 12 || day < 1 || day > PgCalendar.DaysInMonth(year, month))
        {
            throw new FormatException($"'{text}' is not a valid date");
        }

        Expect(text, ref position, 'T');
        var time = ReadTime(text, ref position);

        long offsetSeconds;
        if (position < text.Length && text[position] == 'Z')
        {
            position++;
            offsetSeconds = 0;
        }
        else
        {
            offsetSeconds = ReadOffset(text, ref position);
        }

        ExpectEnd(text, position);
        return ((Int128)PgCalendar.DaysFromCivil(year, month, day) * MicrosPerDay) + time - ((Int128)offsetSeconds * MicrosPerSecond);
    }

    /// <summary>Days since 1970 and microseconds into that day (0 or more) of a 128-bit microsecond count.</summary>
    private static (long Days, long Time) Split(Int128 micros)
    {
        var days = Int128.DivRem(micros, MicrosPerDay);
        var (quotient, time) = days;
        if (time < 0)
        {
            quotient--;
            time += MicrosPerDay;
        }

        return ((long)quotient, (long)time);
    }

    private static StringBuilder AppendDate(StringBuilder text, long days, out bool bc)
    {
        var (year, month, day) = PgCalendar.CivilFromDays(days);
        bc = year <= 0;
        var shown = bc ? 1 - year : year;
        return text.Append(shown.ToString("D4", CultureInfo.InvariantCulture)).Append('-')
            .Append(month.ToString("D2", CultureInfo.InvariantCulture)).Append('-')
            .Append(day.ToString("D2", CultureInfo.InvariantCulture));
    }

    private static StringBuilder AppendTime(StringBuilder text, long micros)
    {
        var seconds = Math.DivRem(micros, MicrosPerSecond, out var fraction);
        text.Append((seconds / 3600).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append((seconds / 60 % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append((seconds % 60).ToString("D2", CultureInfo.InvariantCulture));
        if (fraction != 0)
        {
            text.Append('.').Append(fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return text;
    }

    private static (long Year, int Month, int Day) ReadDate(string text, ref int position)
    {
        var year = ReadNumber(text, ref position, 1, 9);
        Expect(text, ref position, '-');
        var month = (int)ReadNumber(text, ref position, 2, 2);
        Expect(text, ref position, '-');
        var day = (int)ReadNumber(text, ref position, 2, 2);
        return (year, month, day);
    }

    /// <summary>Reads the optional <c> BC</c> suffix and turns the date read into a day number.</summary>
    private static long ReadEra(string text, ref int position, (long Year, int Month, int Day) date)
    {
        var (year, month, day) = date;
        if (string.CompareOrdinal(text, position, " BC", 0, 3) == 0)
        {
            position += 3;
            year = 1 - year;
        }

        if (date.Year < 1 || month is < 1 or > 12 || day < 1 || day > PgCalendar.DaysInMonth(year, month))
        {
            throw new FormatException($"'{text}' is not a valid date");
        }

        return PgCalendar.DaysFromCivil(year, month, day);
    }

    private static long ReadTime(string text, ref int position)
    {
        var hours = ReadNumber(text, ref position, 2, 2);
        Expect(text, ref position, ':');
        var minutes = ReadNumber(text, ref position, 2, 2);
        Expect(text, ref position, ':');
        var seconds = ReadNumber(text, ref position, 2, 2);
        long fraction = 0;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            var digits = 0;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                if (digits < 6) fraction = (fraction * 10) + (text[position] - '0');
                else if (text[position] != '0') throw new FormatException($"'{text}' has more than microsecond precision");
                digits++;
                position++;
            }

            if (digits == 0) throw new FormatException($"'{text}': expected digits at position {position}");
            for (; digits < 6; digits++) fraction *= 10;
        }

        var micros = (((((hours * 60) + minutes) * 60) + seconds) * MicrosPerSecond) + fraction;
        if (minutes > 59 || seconds > 59 || micros > MicrosPerDay)
        {
            throw new FormatException($"'{text}' is not a valid time of day");
        }

        return micros;
    }

    private static long ReadOffset(string text, ref int position)
    {
        if (position >= text.Length || text[position] is not ('+' or '-'))
        {
            throw new FormatException($"'{text}' has no time zone offset");
        }

        var sign = text[position++] == '-' ? -1 : 1;
        var seconds = ReadNumber(text, ref position, 2, 2) * 3600;
        if (position < text.Length && text[position] == ':')
        {
            position++;
            seconds += ReadNumber(text, ref position, 2, 2) * 60;
            if (position < text.Length && text[position] == ':')
            {
                position++;
                seconds += ReadNumber(text, ref position, 2, 2);
            }
        }

        return sign * seconds;
    }

    private static long ReadNumber(string text, ref int position, int minDigits, int maxDigits)
    {
        var start = position;
        long value = 0;
        while (position < text.Length && char.IsAsciiDigit(text[position]) && position - start < maxDigits)
        {
            value = (value * 10) + (text[position] - '0');
            position++;
        }

        if (position - start < minDigits)
        {
            throw new FormatException($"'{text}': expected digits at position {start}");
        }

        return value;
    }

    private static void Expect(string text, ref int position, char expected)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw new FormatException($"'{text}': expected '{expected}' at position {position}");
        }

        position++;
    }

    private static void ExpectEnd(string text, int position)
    {
        if (position != text.Length)
        {
            throw new FormatException($"'{text}': unexpected text at position {position}");
        }
    }
}
