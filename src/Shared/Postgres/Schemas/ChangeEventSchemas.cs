using System.Text.Json.Nodes;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The fixed record shapes of <c>schemas/README.md</c>, built in code (tests check them against the <c>.avsc</c>
/// files of <c>schemas/</c>), and the change-event envelope around a table's <c>Value</c>.
/// </summary>
public static class ChangeEventSchemas
{
    /// <summary><c>io.debezium.data.VariableScaleDecimal</c> (<c>variable-scale-decimal.avsc</c>): an unconstrained <c>numeric</c>, <c>scale</c> and the big-endian two's complement unscaled <c>value</c>.</summary>
    public static RecordSchema VariableScaleDecimal { get; } = new("VariableScaleDecimal", "io.debezium.data",
    [
        new AvroField("scale", AvroSchema.Int),
        new AvroField("value", AvroSchema.Bytes),
    ]);

    /// <summary><c>kafkacdc.postgresql.Source</c> (<c>source.avsc</c>): where and when a change happened.</summary>
    public static RecordSchema Source { get; } = new("Source", "kafkacdc.postgresql",
    [
        new AvroField("version", AvroSchema.String),
        new AvroField("connector", AvroSchema.String),
        new AvroField("name", AvroSchema.String),
        new AvroField("ts_ms", AvroSchema.Long),
        new AvroField("snapshot", AvroSchema.String, properties: [new("kafkacdc.allowed", JsonValue.Create("true,last,false,incremental"))])
            .WithDefault(JsonValue.Create("false")),
        new AvroField("db", AvroSchema.String),
        NullableField("sequence", AvroSchema.String),
        NullableField("ts_us", AvroSchema.Long),
        new AvroField("schema", AvroSchema.String),
        new AvroField("table", AvroSchema.String),
        NullableField("txId", AvroSchema.Long),
        NullableField("lsn", AvroSchema.Long),
        NullableField("xmin", AvroSchema.Long),
    ]);

    /// <summary><c>kafkacdc.TransactionBlock</c> (<c>transaction-block.avsc</c>); reserved, the envelope's <c>transaction</c> is currently always null.</summary>
    public static RecordSchema TransactionBlock { get; } = new("TransactionBlock", "kafkacdc",
    [
        new AvroField("id", AvroSchema.String),
        new AvroField("total_order", AvroSchema.Long),
        new AvroField("data_collection_order", AvroSchema.Long),
    ]);

    /// <summary><c>kafkacdc.heartbeat.ServerNameKey</c> (<c>heartbeat-key.avsc</c>): the key of heartbeat records.</summary>
    public static RecordSchema HeartbeatKey { get; } = new("ServerNameKey", "kafkacdc.heartbeat",
    [
        new AvroField("serverName", AvroSchema.String),
    ]);

    /// <summary><c>kafkacdc.heartbeat.Heartbeat</c> (<c>heartbeat-value.avsc</c>): the value of heartbeat records.</summary>
    public static RecordSchema HeartbeatValue { get; } = new("Heartbeat", "kafkacdc.heartbeat",
    [
        new AvroField("ts_ms", AvroSchema.Long),
        NullableField("lsn", AvroSchema.Long),
    ]);

    /// <summary>
    /// The <c>Envelope</c> record in <paramref name="value"/>'s namespace, fields in the contract's order:
    /// <c>before</c>, <c>after</c> (both <c>union {null, Value}</c>), <c>source</c>, <c>op</c>, <c>ts_ms</c>,
    /// <c>ts_us</c>, <c>transaction</c>.
    /// </summary>
    public static RecordSchema Envelope(RecordSchema value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new RecordSchema("Envelope", value.Namespace,
        [
            NullableField("before", value),
            NullableField("after", value),
            new AvroField("source", Source),
            new AvroField("op", AvroSchema.String),
            NullableField("ts_ms", AvroSchema.Long),
            NullableField("ts_us", AvroSchema.Long),
            NullableField("transaction", TransactionBlock),
        ]);
    }

    private static AvroField NullableField(string name, AvroSchema schema) =>
        new AvroField(name, AvroSchema.Nullable(schema)).WithDefault(null);
}
