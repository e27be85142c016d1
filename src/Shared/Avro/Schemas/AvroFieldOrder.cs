namespace KafkaCdc.Shared.Avro;

/// <summary>How a field affects the sort order of records (the field's <c>order</c> attribute).</summary>
public enum AvroFieldOrder
{
    /// <summary>Ascending (the default, not written to JSON).</summary>
    Ascending,

    /// <summary>Descending.</summary>
    Descending,

    /// <summary>The field is ignored when sorting.</summary>
    Ignore,
}
