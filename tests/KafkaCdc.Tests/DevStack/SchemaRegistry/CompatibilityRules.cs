namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Avro's schema resolution rules, one pair each, with Java's verdicts: checked against the dev registry's checker
/// (<c>AvroCompatibilityTests</c>), Python's Avro, and any registry through its compatibility resource.
/// </summary>
static class CompatibilityRules
{
    const string Rec = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
    const string EmptyRec = """{"type":"record","name":"R","fields":[]}""";

    static CompatibilityRule Ok(string name, string reader, string writer, bool canReadDiffers = false) => new(name, reader, writer, CanReadDiffers: canReadDiffers);

    static CompatibilityRule Fails(string name, string reader, string writer, string type, string location, string message, bool canReadDiffers = false) =>
        new(name, reader, writer, type, location, message, canReadDiffers);

    static CompatibilityRule Mismatch(string name, string reader, string writer, string location, string readerType, string writerType, bool canReadDiffers = false) =>
        Fails(name, reader, writer, "TYPE_MISMATCH", location, $"reader type: {readerType} not compatible with writer type: {writerType}", canReadDiffers);

    public static readonly IReadOnlyList<CompatibilityRule> All =
    [
        Ok("SamePrimitive_Compatible", "\"string\"", "\"string\""),
        Ok("IntToLong_Compatible", "\"long\"", "\"int\""),
        Ok("IntToFloat_Compatible", "\"float\"", "\"int\""),
        Ok("IntToDouble_Compatible", "\"double\"", "\"int\""),
        Ok("LongToFloat_Compatible", "\"float\"", "\"long\""),
        Ok("LongToDouble_Compatible", "\"double\"", "\"long\""),
        Ok("FloatToDouble_Compatible", "\"double\"", "\"float\""),
        Ok("StringToBytes_Compatible", "\"bytes\"", "\"string\"", canReadDiffers: true),
        Ok("BytesToString_Compatible", "\"string\"", "\"bytes\"", canReadDiffers: true),
        Mismatch("LongToInt_Incompatible", "\"int\"", "\"long\"", "/", "INT", "LONG"),
        Mismatch("DoubleToFloat_Incompatible", "\"float\"", "\"double\"", "/", "FLOAT", "DOUBLE"),
        Mismatch("IntToString_Incompatible", "\"string\"", "\"int\"", "/", "STRING", "INT"),
        Mismatch("NullToInt_Incompatible", "\"null\"", "\"int\"", "/", "NULL", "INT"),
        Ok("FieldPromoted_Compatible", """{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""", Rec),
        Mismatch("FieldNarrowed_IncompatibleAtFieldType", Rec, """{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""", "/fields/0/type", "INT", "LONG"),
        Ok("FieldAddedWithDefault_Compatible",
            """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null}]}""", Rec),
        Fails("FieldAddedWithoutDefault_Incompatible",
            """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""", Rec,
            "READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/1", "b"),
        Mismatch("EnumFieldWithEnumDefaultAdded_IncompatibleLikeJava",
            """{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}}]}""", EmptyRec,
            "/fields/0/type", "ENUM", "RECORD"),
        Ok("FieldRemoved_Compatible", EmptyRec, Rec),
        Ok("FieldRenamedWithAlias_Compatible", """{"type":"record","name":"R","fields":[{"name":"z","type":"int","aliases":["a"]}]}""", Rec),
        Fails("RecordRenamed_Incompatible", """{"type":"record","name":"S","fields":[{"name":"a","type":"int"}]}""", Rec, "NAME_MISMATCH", "/name", "expected: R"),
        Ok("RecordRenamedWithAlias_Compatible", """{"type":"record","name":"S","aliases":["R"],"fields":[{"name":"a","type":"int"}]}""", Rec),
        Ok("RecordNamespaceChanged_CompatibleByUnqualifiedName",
            """{"type":"record","name":"R","namespace":"other","fields":[{"name":"a","type":"int"}]}""",
            """{"type":"record","name":"R","namespace":"shop","fields":[{"name":"a","type":"int"}]}""", canReadDiffers: true),
        Ok("EnumSymbolAdded_Compatible", """{"type":"enum","name":"E","symbols":["A","B","C"]}""", """{"type":"enum","name":"E","symbols":["A","B"]}"""),
        Fails("EnumSymbolRemoved_Incompatible", """{"type":"enum","name":"E","symbols":["A"]}""", """{"type":"enum","name":"E","symbols":["A","C","B"]}""",
            "MISSING_ENUM_SYMBOLS", "/symbols", "[B, C]", canReadDiffers: true),
        Ok("EnumSymbolRemovedWithReaderDefault_Compatible",
            """{"type":"enum","name":"E","symbols":["A","U"],"default":"U"}""", """{"type":"enum","name":"E","symbols":["A","B"]}"""),
        Fails("EnumRenamed_Incompatible", """{"type":"enum","name":"F","symbols":["A"]}""", """{"type":"enum","name":"E","symbols":["A"]}""",
            "NAME_MISMATCH", "/name", "expected: E"),
        Ok("FixedSameSize_Compatible", """{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":4}"""),
        Fails("FixedSizeChanged_Incompatible", """{"type":"fixed","name":"F","size":8}""", """{"type":"fixed","name":"F","size":4}""",
            "FIXED_SIZE_MISMATCH", "/size", "expected: 4, found: 8"),
        Fails("FixedRenamed_Incompatible", """{"type":"fixed","name":"G","size":4}""", """{"type":"fixed","name":"F","size":4}""",
            "NAME_MISMATCH", "/name", "expected: F"),
        Ok("FixedNamespaceChanged_CompatibleByUnqualifiedName",
            """{"type":"fixed","name":"F","namespace":"a","size":4}""", """{"type":"fixed","name":"F","namespace":"b","size":4}""", canReadDiffers: true),
        Ok("ArrayItemsPromoted_Compatible", """{"type":"array","items":"long"}""", """{"type":"array","items":"int"}"""),
        Mismatch("ArrayItemsNarrowed_IncompatibleAtItems", """{"type":"array","items":"int"}""", """{"type":"array","items":"long"}""", "/items", "INT", "LONG"),
        Mismatch("MapValuesNarrowed_IncompatibleAtValues", """{"type":"map","values":"int"}""", """{"type":"map","values":"string"}""", "/values", "INT", "STRING"),
        Mismatch("ArrayVersusMap_Incompatible", """{"type":"array","items":"int"}""", """{"type":"map","values":"int"}""", "/", "ARRAY", "MAP"),
        Ok("ValueIntoNullableUnion_Compatible", """["null","string"]""", "\"string\""),
        Ok("ValueIntoUnionByPromotion_Compatible", """["null","long"]""", "\"int\""),
        Fails("ValueMissingFromReaderUnion_Incompatible", """["null","string"]""", "\"long\"", "MISSING_UNION_BRANCH", "/", "reader union lacking writer type: LONG"),
        Ok("UnionIntoWiderUnion_Compatible", """["null","int","string"]""", """["null","int"]"""),
        Fails("UnionBranchDropped_IncompatibleAtBranch", """["null","int"]""", """["null","int","string"]""",
            "MISSING_UNION_BRANCH", "/2", "reader union lacking writer type: STRING", canReadDiffers: true),
        Mismatch("UnionIntoNonUnion_IncompatibleAtNullBranch", "\"string\"", """["null","string"]""", "/0", "STRING", "NULL", canReadDiffers: true),
        Mismatch("SingleBranchUnionOfOtherType_Incompatible", "\"int\"", """["string"]""", "/0", "INT", "STRING", canReadDiffers: true),
        Ok("SingleBranchUnionIntoValue_Compatible", "\"string\"", """["string"]"""),
        Ok("SingleBranchUnionIntoRecord_Compatible", EmptyRec, $"[{EmptyRec}]", canReadDiffers: true),
        Ok("SingleBranchUnionIntoArray_Compatible", """{"type":"array","items":"int"}""", """[{"type":"array","items":"int"}]""", canReadDiffers: true),
        Ok("RecursiveRecords_Compatible",
            """{"type":"record","name":"N","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","N"]}]}""",
            """{"type":"record","name":"N","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","N"]}]}"""),
        Ok("LogicalTypeChanged_IgnoredLikeJava", """{"type":"long","logicalType":"timestamp-millis"}""", """{"type":"long","logicalType":"timestamp-micros"}"""),
        Ok("LogicalTypeAdded_IgnoredLikeJava", """{"type":"long","logicalType":"timestamp-millis"}""", "\"long\"", canReadDiffers: true),
        Ok("LogicalTypeRemoved_IgnoredLikeJava", "\"long\"", """{"type":"long","logicalType":"timestamp-micros"}""", canReadDiffers: true),
    ];
}
