using KafkaCdc.SourceConnector.Checkpointing;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Decides where a session starts from the offset in the offsets topic and the replication slot, refusing whenever
/// going on would skip changes silently: earlier progress but no slot (dropped, e.g. by a major-version upgrade),
/// or a slot whose confirmed position is ahead of the stored offset (recreated after the offset was written; the
/// connector confirms to PostgreSQL only what the offsets topic already holds, so this cannot happen otherwise).
/// </summary>
internal static class StartPosition
{
    /// <summary>Decides; see <see cref="StartAction"/>.</summary>
    /// <param name="stored">The stored offset, or null.</param>
    /// <param name="slot">The configured slot, or null when it does not exist.</param>
    /// <param name="connector">The connector name.</param>
    /// <param name="slotName">The configured slot name.</param>
    /// <param name="database">The configured database.</param>
    /// <param name="offsetTopic">The offsets topic, for messages.</param>
    public static StartDecision Decide(SourceOffset? stored, SlotInfo? slot, string connector, string slotName, string database, string offsetTopic)
    {
        if (slot is not null)
        {
            if (slot.Plugin != "pgoutput")
                return Refuse($"Replication slot '{slotName}' uses the output plugin '{slot.Plugin ?? "(none: a physical slot)"}', but KafkaCdc reads pgoutput. " +
                              "Configure another slot.name (the connector creates it), or drop this slot if nothing else uses it");
            if (slot.Database != database)
                return Refuse($"Replication slot '{slotName}' belongs to database '{slot.Database}', not to '{database}' (database.dbname). " +
                              "A logical slot streams one database: configure another slot.name for this database");
        }

        if (stored is null)
        {
            return slot is null
                ? new StartDecision(StartAction.CreateSlot)
                : new StartDecision(StartAction.AdoptSlot, slot.ConfirmedFlushLsn ?? NpgsqlLogSequenceNumber.Invalid);
        }

        const string remedy =
            "What to do: if this follows a PostgreSQL upgrade, see \"Upgrading PostgreSQL\" in the README. To fill the gap, set " +
            "snapshot.mode=when_needed and start again: the connector takes the slot's current position (creating the slot if needed) and " +
            "snapshots the captured tables before streaming (rows deleted during the gap are not in a snapshot and stay at the destination). " +
            "The reset-offsets command (KafkaCdc.SourceConnector reset-offsets --config <file>) followed by a start with snapshot.mode=initial " +
            "does the same; with snapshot.mode=no_data it accepts the gap.";
        if (stored.Slot != slotName || stored.Database != database)
        {
            return Gap($"The offsets topic {offsetTopic} holds the position {stored.Lsn} of connector '{connector}' in replication slot " +
                          $"'{stored.Slot}' of database '{stored.Database}', but the configuration names slot '{slotName}' of database '{database}'. " +
                          $"A position of one slot means nothing to another, and changes the new slot never saw would be missing. {remedy}");
        }
        if (slot is null)
        {
            return Gap($"The offsets topic {offsetTopic} shows that connector '{connector}' had streamed up to LSN {stored.Lsn} from replication " +
                          $"slot '{slotName}', but that slot no longer exists. It was dropped (a PostgreSQL major-version upgrade drops every slot), " +
                          $"so the changes made after LSN {stored.Lsn} are no longer available from PostgreSQL, and creating a new slot would skip them " +
                          $"silently. {remedy}");
        }
        if (slot.ConfirmedFlushLsn is { } confirmed && confirmed > stored.LsnValue)
        {
            return Gap($"Replication slot '{slotName}' has confirmed position {confirmed}, ahead of the offset " +
                          $"{stored.Lsn} stored in {offsetTopic} for connector '{connector}'. The connector never confirms past what it stored, so " +
                          $"the slot was dropped and recreated after the offset was written (for example around a PostgreSQL upgrade): the changes " +
                          $"between {stored.Lsn} and {confirmed} are not available from it. {remedy}");
        }
        return new StartDecision(StartAction.Resume, stored.LsnValue);
    }

    static StartDecision Refuse(string reason) => new(StartAction.Refuse, Reason: reason);

    static StartDecision Gap(string reason) => new(StartAction.Refuse, Reason: reason) { IsGap = true };
}
