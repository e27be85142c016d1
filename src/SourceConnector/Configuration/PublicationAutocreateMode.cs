namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>What the connector may do to its publication (<c>publication.autocreate.mode</c>). It never drops one.</summary>
internal enum PublicationAutocreateMode
{
    /// <summary>
    /// Creates the publication for the captured tables (plus the heartbeat and signal tables) when missing, and adds
    /// captured tables it lacks (unless it is <c>FOR ALL TABLES</c>). Adding a table needs ownership of it.
    /// </summary>
    Filtered,

    /// <summary>Creates the publication <c>FOR ALL TABLES</c> when missing (needs a superuser).</summary>
    AllTables,

    /// <summary>Uses the publication as it is; a missing one is an error.</summary>
    Disabled,
}
