using System.Text.Json;
using Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The properties of a table's <c>Value</c> record (the row of <c>before</c>/<c>after</c>) that describe the table rather
/// than one column (contract: "Table properties").
/// </summary>
public static class PgTableProperties
{
    /// <summary>
    /// <c>kafkacdc.generated</c>: the table's stored generated columns, which carry no field (pgoutput does not send
    /// their values), as a JSON array of <c>{"column": …, "type": …, "expression": …}</c> in attribute-number order;
    /// absent when the table has none. A sink creates them with the same expression (<see cref="PgGenerationExpression"/>
    /// decides which expressions it may run).
    /// </summary>
    public const string Generated = "kafkacdc.generated";

    /// <summary>The record properties describing <paramref name="generated"/>; none when it is empty.</summary>
    internal static List<KeyValuePair<string, object?>> For(IReadOnlyList<PgGeneratedColumn> generated) =>
        generated.Count == 0
            ? []
            : [new(Generated, generated.Select(g => new { column = g.Name, type = g.Type, expression = g.Expression }).ToArray())];

    /// <summary>The generated columns <paramref name="row"/> describes in <see cref="Generated"/>; empty when absent.</summary>
    /// <exception cref="ArgumentException">The property is not an array of objects with the string members <c>column</c>, <c>type</c>, <c>expression</c>.</exception>
    public static IReadOnlyList<PgGeneratedColumn> GeneratedColumns(RecordSchema row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.GetProperty(Generated) is not { } json) return [];
        JsonElement array;
        try
        {
            array = JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{Generated} of record {row.Fullname} is not JSON: {e.Message}", nameof(row), e);
        }

        if (array.ValueKind != JsonValueKind.Array)
            throw new ArgumentException($"{Generated} of record {row.Fullname} is not a JSON array", nameof(row));
        var columns = new List<PgGeneratedColumn>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Member(item, "column") is not { } column || Member(item, "type") is not { } type
                || Member(item, "expression") is not { } expression)
            {
                throw new ArgumentException(
                    $"{Generated} of record {row.Fullname} holds {item.GetRawText()}, not an object with the strings \"column\", \"type\" and \"expression\"", nameof(row));
            }

            columns.Add(new PgGeneratedColumn(column, type, expression));
        }

        return columns;
    }

    static string? Member(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
