namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>The compatibility levels of Confluent Schema Registry.</summary>
public enum CompatibilityLevel
{
    /// <summary>No check.</summary>
    None,

    /// <summary>The new schema can read data written with the latest registered one.</summary>
    Backward,

    /// <summary>The new schema can read data written with every registered one.</summary>
    BackwardTransitive,

    /// <summary>The latest registered schema can read data written with the new one.</summary>
    Forward,

    /// <summary>Every registered schema can read data written with the new one.</summary>
    ForwardTransitive,

    /// <summary>Backward and forward against the latest registered schema.</summary>
    Full,

    /// <summary>Backward and forward against every registered schema.</summary>
    FullTransitive,
}
