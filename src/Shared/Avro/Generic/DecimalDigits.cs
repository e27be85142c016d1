using System.Numerics;

namespace KafkaCdc.Shared.Avro;

/// <summary>Powers of ten and digit counts of big integers, for decimal precision checks and rescaling.</summary>
internal static class DecimalDigits
{
    private static readonly BigInteger[] SmallPowers = BuildPowers(128);

    public static BigInteger Pow10(int exponent) =>
        exponent < SmallPowers.Length ? SmallPowers[exponent] : BigInteger.Pow(10, exponent);

    /// <summary>The number of decimal digits of |<paramref name="value"/>|; 1 for zero.</summary>
    public static int Count(BigInteger value)
    {
        if (value.Sign < 0)
        {
            value = BigInteger.Negate(value);
        }

        if (value < 10)
        {
            return 1;
        }

        // Estimate from the bit length, then correct: 10^(digits−1) <= value < 10^digits.
        var digits = (int)((value.GetBitLength() - 1) * 0.30102999566398120) + 1;
        while (digits > 1 && Pow10(digits - 1) > value)
        {
            digits--;
        }

        while (Pow10(digits) <= value)
        {
            digits++;
        }

        return digits;
    }

    /// <summary>Whether |<paramref name="value"/>| has at most <paramref name="precision"/> digits.</summary>
    public static bool FitsPrecision(BigInteger value, int precision) =>
        precision >= 1 && BigInteger.Abs(value) < Pow10(precision);

    private static BigInteger[] BuildPowers(int count)
    {
        var powers = new BigInteger[count];
        powers[0] = BigInteger.One;
        for (var i = 1; i < count; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
