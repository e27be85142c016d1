using Avro;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>A registered schema: its global id, its text as the registry answers it, and the parsed model.</summary>
/// <param name="Id">The global id, from 1.</param>
/// <param name="Text">The registry's form of the schema (<see cref="TextOf"/>), which is also its identity.</param>
/// <param name="Schema">Apache.Avro's model of it.</param>
sealed record RegistrySchema(int Id, string Text, Schema Schema)
{
    /// <summary>
    /// The form under which the registry stores, compares and answers a schema: Apache.Avro's full JSON print of it,
    /// which like Confluent's (Avro Java's <c>Schema.toString()</c>) keeps docs, defaults, aliases and custom properties and
    /// drops whitespace. The Parsing Canonical Form is not it: it drops what Confluent counts.
    /// </summary>
    /// <remarks>
    /// Apache.Avro prints a schema that is a bare primitive inside <c>{"type": ...}</c>, which Java does not and cannot
    /// always read back (<c>{"type":{"type":"long","connect.name":"x"}}</c>); the wrapper is dropped, giving Java's
    /// <c>"long"</c> and <c>{"type":"long","connect.name":"x"}</c>.
    /// </remarks>
    public static string TextOf(Schema schema)
    {
        var text = schema.ToString();
        const string wrapper = "{\"type\":";
        return schema is PrimitiveSchema && text.StartsWith(wrapper, StringComparison.Ordinal) ? text[wrapper.Length..^1] : text;
    }
}
