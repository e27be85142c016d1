namespace KafkaCdc.SinkConnector.Destination;

/// <summary>A column of an existing destination table, from the catalog.</summary>
/// <param name="Name">The exact name.</param>
/// <param name="Type">The type as the type layer formats it (<c>numeric(12,2)</c>, <c>integer[]</c>, <c>public.mood</c>; domains as their base type): the form of <c>kafkacdc.type</c>.</param>
/// <param name="IsNotNull">NOT NULL.</param>
/// <param name="HasDefault">Has a default, is an identity or a generated column: an insert without it works.</param>
/// <param name="KeyPosition">1-based position in the primary key, or null.</param>
/// <param name="IsGenerated">A stored generated column: no write may name it.</param>
public sealed record DestinationColumn(string Name, string Type, bool IsNotNull, bool HasDefault, int? KeyPosition, bool IsGenerated = false);
