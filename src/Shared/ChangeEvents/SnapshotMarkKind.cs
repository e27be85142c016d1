namespace KafkaCdc.Shared.ChangeEvents;

/// <summary>What a record carrying a <see cref="SnapshotMark"/> is (the header's last byte).</summary>
public enum SnapshotMarkKind : byte
{
    /// <summary>A row read by the snapshot attempt (op <c>r</c>).</summary>
    Read = 0,

    /// <summary>A streamed change (c/u/d/t or a tombstone) whose effect the attempt's rows already hold.</summary>
    HeldChange = 1,
}
