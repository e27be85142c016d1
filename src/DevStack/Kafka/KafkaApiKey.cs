namespace KafkaCdc.DevStack.Kafka;

/// <summary>
/// Kafka protocol request types (API keys), as used for error injection into the mock cluster. Any other
/// key can be given by number. See https://kafka.apache.org/protocol#protocol_api_keys.
/// </summary>
public enum KafkaApiKey : short
{
    /// <summary>Produce (0).</summary>
    Produce = 0,
    /// <summary>Fetch (1).</summary>
    Fetch = 1,
    /// <summary>ListOffsets (2).</summary>
    ListOffsets = 2,
    /// <summary>Metadata (3).</summary>
    Metadata = 3,
    /// <summary>OffsetCommit (8).</summary>
    OffsetCommit = 8,
    /// <summary>OffsetFetch (9).</summary>
    OffsetFetch = 9,
    /// <summary>FindCoordinator (10).</summary>
    FindCoordinator = 10,
    /// <summary>JoinGroup (11).</summary>
    JoinGroup = 11,
    /// <summary>Heartbeat (12).</summary>
    Heartbeat = 12,
    /// <summary>LeaveGroup (13).</summary>
    LeaveGroup = 13,
    /// <summary>SyncGroup (14).</summary>
    SyncGroup = 14,
    /// <summary>ApiVersions (18).</summary>
    ApiVersions = 18,
    /// <summary>CreateTopics (19; not implemented by the mock cluster).</summary>
    CreateTopics = 19,
    /// <summary>InitProducerId (22), used by idempotent and transactional producers.</summary>
    InitProducerId = 22,
    /// <summary>AddPartitionsToTxn (24).</summary>
    AddPartitionsToTxn = 24,
    /// <summary>EndTxn (26).</summary>
    EndTxn = 26,
}
