using Avro;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>Schemas of one evolving record, for registration and compatibility tests.</summary>
static class RegistryTestSchemas
{
    /// <summary>Version 1: <c>id</c> long, <c>name</c> string.</summary>
    public const string Customer =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}""";

    /// <summary>Adds an optional <c>email</c> with a default: backward and forward compatible.</summary>
    public const string CustomerWithOptionalEmail =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null}]}""";

    /// <summary>Adds <c>email</c> without a default: not backward compatible.</summary>
    public const string CustomerWithRequiredEmail =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":"string"}]}""";

    /// <summary>Changes <c>id</c> from long to string: incompatible both ways.</summary>
    public const string CustomerWithStringId =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"name","type":"string"}]}""";

    /// <summary>Version 1 with a custom property on <c>id</c>: the same binary encoding, a different schema.</summary>
    public const string CustomerWithCustomProperty =
        """{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"id","type":{"type":"long","kafkacdc.pg.type":"int8"}},{"name":"name","type":"string"}]}""";

    /// <summary>Version 1 with a doc on the record: the same Parsing Canonical Form, a different schema for the registry.</summary>
    public const string CustomerWithDoc =
        """{"type":"record","name":"Customer","namespace":"shop","doc":"A customer of the shop.","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}""";

    /// <summary>The full form of a schema as Apache.Avro prints it (as the serializer registers it); compares schemas by content.</summary>
    public static string FullForm(string json) => Schema.Parse(json).ToString();
}
