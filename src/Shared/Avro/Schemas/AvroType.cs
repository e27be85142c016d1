namespace KafkaCdc.Shared.Avro;

/// <summary>The Avro schema types of the <see href="https://avro.apache.org/docs/1.11.1/specification/">Avro 1.11 specification</see>.</summary>
public enum AvroType
{
    /// <summary>No value; encodes to zero bytes.</summary>
    Null,

    /// <summary>A single byte, 0 or 1.</summary>
    Boolean,

    /// <summary>32-bit signed integer, zig-zag varint.</summary>
    Int,

    /// <summary>64-bit signed integer, zig-zag varint.</summary>
    Long,

    /// <summary>IEEE 754 single precision, 4 bytes little-endian.</summary>
    Float,

    /// <summary>IEEE 754 double precision, 8 bytes little-endian.</summary>
    Double,

    /// <summary>Length-prefixed byte sequence.</summary>
    Bytes,

    /// <summary>Length-prefixed UTF-8 text.</summary>
    String,

    /// <summary>Named sequence of fields (<see cref="RecordSchema"/>).</summary>
    Record,

    /// <summary>Named set of symbols (<see cref="EnumSchema"/>).</summary>
    Enum,

    /// <summary>Sequence of items of one schema (<see cref="ArraySchema"/>).</summary>
    Array,

    /// <summary>String-keyed values of one schema (<see cref="MapSchema"/>).</summary>
    Map,

    /// <summary>One of several schemas (<see cref="UnionSchema"/>).</summary>
    Union,

    /// <summary>Named fixed-size byte sequence (<see cref="FixedSchema"/>).</summary>
    Fixed,
}
