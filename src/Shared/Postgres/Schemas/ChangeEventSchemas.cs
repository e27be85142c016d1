using Avro;
using KafkaCdc.Shared.AvroFormat;
using static KafkaCdc.Shared.AvroFormat.AvroSchemas;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The fixed record shapes of <c>schemas/README.md</c>, built in code (tests check them against the <c>.avsc</c>
/// files of <c>schemas/</c>), and the change-event envelope around a table's <c>Value</c>.
/// </summary>
public static class ChangeEventSchemas
{
    /// <summary><c>io.debezium.data.VariableScaleDecimal</c> (<c>variable-scale-decimal.avsc</c>): an unconstrained <c>numeric</c>, <c>scale</c> and the big-endian two's complement unscaled <c>value</c>.</summary>
    public static RecordSchema VariableScaleDecimal { get; } = Record("VariableScaleDecimal", "io.debezium.data",
    [
        new FieldDefinition("scale", Int),
        new FieldDefinition("value", Bytes),
    ]);

    /// <summary><c>kafkacdc.postgresql.Source</c> (<c>source.avsc</c>): where and when a change happened.</summary>
    public static RecordSchema Source { get; } = Record("Source", "kafkacdc.postgresql",
    [
        new FieldDefinition("version", AvroSchemas.String),
        new FieldDefinition("connector", AvroSchemas.String),
        new FieldDefinition("name", AvroSchemas.String),
        new FieldDefinition("ts_ms", Long),
        new FieldDefinition("snapshot", AvroSchemas.String, [new("kafkacdc.allowed", "true,last,false,incremental")]) { HasDefault = true, Default = "false" },
        new FieldDefinition("db", AvroSchemas.String),
        FieldDefinition.Optional("sequence", AvroSchemas.String),
        FieldDefinition.Optional("ts_us", Long),
        new FieldDefinition("schema", AvroSchemas.String),
        new FieldDefinition("table", AvroSchemas.String),
        FieldDefinition.Optional("txId", Long),
        FieldDefinition.Optional("lsn", Long),
        FieldDefinition.Optional("xmin", Long),
        FieldDefinition.Optional("commit_lsn", Long),
        FieldDefinition.Optional("event_serial_no", Long),
        FieldDefinition.Optional("system_id", Long),
    ]);

    /// <summary><c>kafkacdc.TransactionBlock</c> (<c>transaction-block.avsc</c>); reserved, the envelope's <c>transaction</c> is currently always null.</summary>
    public static RecordSchema TransactionBlock { get; } = Record("TransactionBlock", "kafkacdc",
    [
        new FieldDefinition("id", AvroSchemas.String),
        new FieldDefinition("total_order", Long),
        new FieldDefinition("data_collection_order", Long),
    ]);

    /// <summary><c>kafkacdc.heartbeat.ServerNameKey</c> (<c>heartbeat-key.avsc</c>): the key of heartbeat records.</summary>
    public static RecordSchema HeartbeatKey { get; } = Record("ServerNameKey", "kafkacdc.heartbeat",
    [
        new FieldDefinition("serverName", AvroSchemas.String),
    ]);

    /// <summary><c>kafkacdc.heartbeat.Heartbeat</c> (<c>heartbeat-value.avsc</c>): the value of heartbeat records.</summary>
    public static RecordSchema HeartbeatValue { get; } = Record("Heartbeat", "kafkacdc.heartbeat",
    [
        new FieldDefinition("ts_ms", Long),
        FieldDefinition.Optional("lsn", Long),
    ]);

    /// <summary>
    /// The <c>Envelope</c> record in <paramref name="value"/>'s namespace, fields in the contract's order:
    /// <c>before</c>, <c>after</c> (both <c>union {null, Value}</c>), <c>source</c>, <c>op</c>, <c>ts_ms</c>,
    /// <c>ts_us</c>, <c>transaction</c>.
    /// </summary>
    public static RecordSchema Envelope(RecordSchema value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Record("Envelope", value.Namespace,
        [
            FieldDefinition.Optional("before", value),
            FieldDefinition.Optional("after", value),
            new FieldDefinition("source", Source),
            new FieldDefinition("op", AvroSchemas.String),
            FieldDefinition.Optional("ts_ms", Long),
            FieldDefinition.Optional("ts_us", Long),
            FieldDefinition.Optional("transaction", TransactionBlock),
        ]);
    }
}
