namespace KafkaCdc.Shared.Avro;

/// <summary>
/// The <c>decimal</c> logical type: the value is <c>unscaled × 10^-Scale</c>, the unscaled integer stored as big-endian
/// two's complement in <c>bytes</c> or in a <see cref="FixedSchema"/>. Values decode to <see cref="AvroDecimal"/>.
/// </summary>
public sealed class DecimalLogicalType : LogicalType, IEquatable<DecimalLogicalType>
{
    /// <summary>Creates a decimal logical type.</summary>
    /// <param name="precision">Maximum number of significant digits, at least 1.</param>
    /// <param name="scale">Digits after the decimal point, from 0 to <paramref name="precision"/>.</param>
    /// <exception cref="AvroSchemaException">The precision or scale breaks the specification's rules.</exception>
    public DecimalLogicalType(int precision, int scale = 0)
        : base("decimal", LogicalTypeKind.Decimal, AvroType.Bytes)
    {
        if (precision < 1)
        {
            throw new AvroSchemaException($"decimal precision must be a positive integer, got {precision}");
        }

        if (scale < 0 || scale > precision)
        {
            throw new AvroSchemaException($"decimal scale must be between 0 and the precision {precision}, got {scale}");
        }

        Precision = precision;
        Scale = scale;
    }

    /// <summary>Maximum number of significant (unscaled) digits.</summary>
    public int Precision { get; }

    /// <summary>Number of digits after the decimal point.</summary>
    public int Scale { get; }

    /// <summary>
    /// The largest precision a fixed of <paramref name="size"/> bytes can hold: floor(log10(2^(8·size−1) − 1)), or −1
    /// when none (size 0).
    /// </summary>
    public static int MaxPrecisionForFixedSize(int size)
    {
        if (size <= 0)
        {
            return -1;
        }

        // floor(log10(x)) for x = 2^(8·size−1) − 1: estimate from log10(2), then correct exactly with integers.
        var bits = (8L * size) - 1;
        var estimate = (int)Math.Floor(bits * Math.Log10(2));
        if (bits > 32_767)
        {
            return estimate;
        }

        var max = System.Numerics.BigInteger.Pow(2, (int)bits) - 1;
        while (estimate > 0 && System.Numerics.BigInteger.Pow(10, estimate) > max)
        {
            estimate--;
        }

        while (System.Numerics.BigInteger.Pow(10, estimate + 1) <= max)
        {
            estimate++;
        }

        return estimate;
    }

    /// <inheritdoc />
    public bool Equals(DecimalLogicalType? other) =>
        other is not null && other.Precision == Precision && other.Scale == Scale;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DecimalLogicalType);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Precision, Scale);

    /// <inheritdoc />
    public override string ToString() => $"decimal({Precision},{Scale})";
}
