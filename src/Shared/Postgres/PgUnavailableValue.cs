using System.Text;
using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The placeholder for an unchanged TOASTed value that the WAL does not carry (pgoutput's <c>u</c> column kind):
/// <c>__kafkacdc_unavailable_value</c> in a string branch, its UTF-8 bytes in a bytes branch. The sink keeps the
/// stored value of a column holding it.
/// </summary>
/// <remarks>
/// A real text value equal to the placeholder cannot be told apart from it; the contract accepts that, as Debezium does.
/// </remarks>
public static class PgUnavailableValue
{
    /// <summary>The placeholder text.</summary>
    public const string Text = "__kafkacdc_unavailable_value";

    private static readonly byte[] s_utf8 = Encoding.UTF8.GetBytes(Text);

    /// <summary>A new copy of the placeholder's UTF-8 bytes.</summary>
    public static byte[] Bytes => (byte[])s_utf8.Clone();

    /// <summary>Whether <paramref name="datum"/> is the placeholder: the text as a <see cref="string"/>, or its UTF-8 bytes.</summary>
    public static bool Matches(object? datum) => datum switch
    {
        string text => text == Text,
        byte[] bytes => bytes.AsSpan().SequenceEqual(s_utf8),
        _ => false,
    };

    /// <summary>
    /// The placeholder datum that fits <paramref name="schema"/>: the string when it is (or has a branch of) plain
    /// <c>string</c>, else the bytes when it is (or has a branch of) plain <c>bytes</c>; <see langword="null"/> when
    /// neither (types that are never TOASTed).
    /// </summary>
    public static object? For(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var branches = AvroSchemas.NonNullBranches(schema);
        if (branches.Any(IsPlainString))
        {
            return Text;
        }

        return branches.Any(AvroSchemas.IsPlainBytes) ? Bytes : null;
    }

    // A string with a semantic type (a UUID, an ISO timestamp) is never TOASTed and must not take the placeholder.
    private static bool IsPlainString(Schema branch) =>
        AvroSchemas.IsPlainString(branch) && AvroSchemas.StringProperty(branch, AvroSchemas.ConnectName) is null;
}
