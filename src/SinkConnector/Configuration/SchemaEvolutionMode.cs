namespace KafkaCdc.SinkConnector.Configuration;

/// <summary><c>schema.evolution</c>: whether the sink creates and extends destination tables.</summary>
public enum SchemaEvolutionMode
{
    /// <summary>Create missing tables, add missing columns (nullable); never drop, retype or change the primary key.</summary>
    Basic,

    /// <summary>Tables must exist and match the records; a mismatch is an error.</summary>
    None,
}
