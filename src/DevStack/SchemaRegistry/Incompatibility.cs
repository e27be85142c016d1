namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// One reason a reader schema cannot read data of a writer schema, as Avro Java's <c>SchemaCompatibility</c> reports it
/// (and Confluent's registry passes on in its answers).
/// </summary>
/// <param name="ErrorType">Java's <c>SchemaIncompatibilityType</c>: <c>NAME_MISMATCH</c>, <c>FIXED_SIZE_MISMATCH</c>,
/// <c>MISSING_ENUM_SYMBOLS</c>, <c>READER_FIELD_MISSING_DEFAULT_VALUE</c>, <c>TYPE_MISMATCH</c>, <c>MISSING_UNION_BRANCH</c>.</param>
/// <param name="Location">Where in the reader schema, as a JSON pointer (<c>/fields/2/type</c>; <c>/</c> for the root).</param>
/// <param name="Message">Java's message for it, word for word (Confluent's <c>additionalInfo</c>): the field name, the
/// missing symbols (<c>[B, C]</c>), <c>expected: 4, found: 8</c>, <c>reader type: INT not compatible with writer type: LONG</c>...</param>
sealed record Incompatibility(string ErrorType, string Location, string Message);
