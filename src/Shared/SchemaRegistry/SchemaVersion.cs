using System.Globalization;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>A version of a subject as the registry's version resources take it: a number from 1, or <see cref="Latest"/>.</summary>
public readonly record struct SchemaVersion
{
    readonly int _number;

    SchemaVersion(int number) => _number = number;

    /// <summary>The subject's newest version.</summary>
    public static SchemaVersion Latest => default;

    /// <summary>The version number, or null for <see cref="Latest"/>.</summary>
    public int? Number => _number == 0 ? null : _number;

    /// <summary>Version <paramref name="number"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The number is less than 1.</exception>
    public static SchemaVersion Of(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return new SchemaVersion(number);
    }

    /// <summary>Version <paramref name="number"/>, see <see cref="Of"/>.</summary>
    public static implicit operator SchemaVersion(int number) => Of(number);

    /// <summary>The path segment: the number, or <c>latest</c>.</summary>
    public override string ToString() => _number == 0 ? "latest" : _number.ToString(CultureInfo.InvariantCulture);
}
