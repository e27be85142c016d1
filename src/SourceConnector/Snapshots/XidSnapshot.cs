using System.Globalization;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// A transaction snapshot as <c>pg_current_snapshot()</c> prints it (<c>xmin:xmax:xip,...</c>): which transactions a
/// query in it sees. The stream gives 32-bit transaction ids, so they are compared modulo 2^32 as PostgreSQL does
/// (<c>TransactionIdPrecedes</c>), which holds for ids within two billion of each other.
/// </summary>
internal sealed class XidSnapshot
{
    readonly uint _xmin;
    readonly uint _xmax;
    readonly HashSet<uint> _inProgress;

    XidSnapshot(uint xmin, uint xmax, HashSet<uint> inProgress)
    {
        _xmin = xmin;
        _xmax = xmax;
        _inProgress = inProgress;
    }

    /// <summary>Parses <c>xmin:xmax:xip1,xip2</c> (64-bit ids, as <c>pg_snapshot</c> or <c>txid_snapshot</c> print them).</summary>
    /// <exception cref="FormatException">Not such a snapshot.</exception>
    public static XidSnapshot Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3) throw new FormatException($"'{text}' is not a snapshot (xmin:xmax:xip)");
        var inProgress = parts[2].Length == 0
            ? []
            : parts[2].Split(',').Select(x => Xid(x, text)).ToHashSet();
        return new XidSnapshot(Xid(parts[0], text), Xid(parts[1], text), inProgress);
    }

    /// <summary>Whether the changes of transaction <paramref name="xid"/> are visible in the snapshot (it committed before).</summary>
    public bool Sees(uint xid) => Precedes(xid, _xmin) || (Precedes(xid, _xmax) && !_inProgress.Contains(xid));

    static bool Precedes(uint a, uint b) => unchecked((int)(a - b)) < 0;

    static uint Xid(string value, string text) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var xid)
            ? unchecked((uint)xid)
            : throw new FormatException($"'{text}' is not a snapshot: '{value}' is not a transaction id");

    /// <inheritdoc />
    public override string ToString() => $"{_xmin}:{_xmax}:{string.Join(",", _inProgress.Order())}";
}
