using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>Typed reads of a field's <c>kafkacdc.*</c> properties; a property of another JSON type counts as absent.</summary>
internal static class PgFieldProperties
{
    public static string? String(Field field, string name) => AvroSchemas.StringProperty(field, name);

    public static int? Int(Field field, string name) => AvroSchemas.IntProperty(field, name);

    public static bool? Boolean(Field field, string name) => AvroSchemas.BooleanProperty(field, name);
}
