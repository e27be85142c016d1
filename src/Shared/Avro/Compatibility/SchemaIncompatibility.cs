namespace KafkaCdc.Shared.Avro;

/// <summary>One reason a reader schema cannot read a writer schema's data, and where.</summary>
public sealed class SchemaIncompatibility
{
    internal SchemaIncompatibility(SchemaIncompatibilityKind kind, string location, string message, AvroSchema reader, AvroSchema writer)
    {
        Kind = kind;
        Location = location;
        Message = message;
        Reader = reader;
        Writer = writer;
    }

    /// <summary>The category.</summary>
    public SchemaIncompatibilityKind Kind { get; }

    /// <summary>A JSON-pointer-like path in the reader schema, e.g. <c>/fields/3/type</c>; <c>/</c> for the root.</summary>
    public string Location { get; }

    /// <summary>What is wrong, in words, e.g. <c>reader type 'int' cannot read writer type 'long'</c>.</summary>
    public string Message { get; }

    /// <summary>The part of the reader schema at fault.</summary>
    public AvroSchema Reader { get; }

    /// <summary>The part of the writer schema at fault.</summary>
    public AvroSchema Writer { get; }

    /// <summary><c>Location: Message</c>.</summary>
    public override string ToString() => $"{Location}: {Message}";
}
