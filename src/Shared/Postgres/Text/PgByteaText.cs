using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary><c>bytea</c> text: the hex form <c>\x00ff</c> (<c>bytea_output=hex</c>), and the escape form on input.</summary>
internal static class PgByteaText
{
    /// <summary>Parses the hex form, or the escape form (<c>\\</c>, <c>\ooo</c>, other bytes as they are) for servers not pinned to hex.</summary>
    /// <exception cref="FormatException">Invalid hex digits or escapes.</exception>
    public static byte[] Parse(string text)
    {
        if (text.StartsWith("\\x", StringComparison.Ordinal))
        {
            return Convert.FromHexString(text.AsSpan(2));
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                if (c > 0xff)
                {
                    throw new FormatException("bytea escape text holds a character above U+00FF");
                }

                bytes.Add((byte)c);
            }
            else if (i + 1 < text.Length && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else if (i + 3 < text.Length && IsOctal(text[i + 1]) && IsOctal(text[i + 2]) && IsOctal(text[i + 3]) && text[i + 1] <= '3')
            {
                bytes.Add((byte)(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0')));
                i += 3;
            }
            else
            {
                throw new FormatException("invalid escape in bytea text");
            }
        }

        return [.. bytes];
    }

    /// <summary>Writes the hex form, <c>\x</c> and two lowercase digits a byte.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) =>
        new StringBuilder(2 + (2 * bytes.Length)).Append("\\x").Append(Convert.ToHexStringLower(bytes)).ToString();

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
