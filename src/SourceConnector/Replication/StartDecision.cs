using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>What to do at the start of a session, from the stored offset and the slot (see <see cref="StartPosition"/>).</summary>
internal enum StartAction
{
    /// <summary>No offset, no slot: create the slot and store its position.</summary>
    CreateSlot,

    /// <summary>No offset, a slot: store the slot's position and start there.</summary>
    AdoptSlot,

    /// <summary>An offset the slot can serve: stream from it.</summary>
    Resume,

    /// <summary>Continuing would silently lose changes or read the wrong slot: stop with <see cref="StartDecision.Reason"/>.</summary>
    Refuse,
}

/// <summary>The decision of <see cref="StartPosition.Decide"/>.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Lsn">Where to start (<see cref="StartAction.AdoptSlot"/>, <see cref="StartAction.Resume"/>).</param>
/// <param name="Reason">For <see cref="StartAction.Refuse"/>: what happened and what to do.</param>
internal sealed record StartDecision(StartAction Action, NpgsqlLogSequenceNumber? Lsn = null, string? Reason = null)
{
    /// <summary>
    /// For <see cref="StartAction.Refuse"/>: the refusal is about changes the slot can no longer give (no slot, or one
    /// recreated or of another name), which a snapshot makes up for (<c>snapshot.mode=when_needed</c>); false when the
    /// configuration names an unusable slot.
    /// </summary>
    public bool IsGap { get; init; }
}
