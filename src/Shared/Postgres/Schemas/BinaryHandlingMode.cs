namespace KafkaCdc.Shared.Postgres;

/// <summary>How <c>bytea</c> values are represented (the <c>binary.handling.mode</c> setting, as in Debezium).</summary>
public enum BinaryHandlingMode
{
    /// <summary><c>bytes</c> (the default): Avro <c>bytes</c>.</summary>
    Bytes,

    /// <summary><c>base64</c>: Avro <c>string</c>, standard base64 with padding; the field has <c>kafkacdc.encoding=base64</c>.</summary>
    Base64,

    /// <summary><c>hex</c>: Avro <c>string</c>, lowercase hex digits without prefix; the field has <c>kafkacdc.encoding=hex</c>.</summary>
    Hex,
}
