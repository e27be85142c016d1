namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>A schema as registered under a subject.</summary>
/// <param name="Subject">The subject, e.g. <c>shop_orders-value</c>.</param>
/// <param name="Id">The registry-wide schema id, the one in the wire format.</param>
/// <param name="Version">The version within the subject, from 1.</param>
/// <param name="Schema">The schema's JSON as the registry stores it.</param>
public sealed record RegisteredSchema(string Subject, int Id, int Version, string Schema);
