namespace KafkaCdc.Shared.Avro;

/// <summary>Why a reader schema cannot read data of a writer schema (the categories of Avro Java's <c>SchemaCompatibility</c>).</summary>
public enum SchemaIncompatibilityKind
{
    /// <summary>Named types whose unqualified names differ, and the reader has no alias for the writer's full name.</summary>
    NameMismatch,

    /// <summary>Fixed types of different sizes.</summary>
    FixedSizeMismatch,

    /// <summary>The writer's enum has symbols the reader's lacks, and the reader's has no default.</summary>
    MissingEnumSymbols,

    /// <summary>A reader field is missing in the writer and has no default.</summary>
    ReaderFieldMissingDefaultValue,

    /// <summary>The types differ and no promotion applies.</summary>
    TypeMismatch,

    /// <summary>The reader is a union and none of its branches can read the writer's type.</summary>
    MissingUnionBranch,
}
