using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.AvroFormat;
using static KafkaCdc.Tests.Shared.Postgres.PgTestColumns;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgTableSchemaTests
{
    [TestCase("int2", -1, 0, "[\"null\",\"int\"]")]
    [TestCase("int8", -1, 0, "[\"null\",\"long\"]")]
    [TestCase("oid", -1, 0, "[\"null\",\"long\"]")]
    [TestCase("float4", -1, 0, "[\"null\",\"float\"]")]
    [TestCase("float8", -1, 0, "[\"null\",\"double\"]")]
    [TestCase("numeric", 655366, 0, "[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2},\"string\"]")]
    [TestCase("numeric", -1, 0, "[\"null\",{\"type\":\"record\",\"name\":\"VariableScaleDecimal\",\"namespace\":\"io.debezium.data\",\"fields\":[{\"name\":\"scale\",\"type\":\"int\"},{\"name\":\"value\",\"type\":\"bytes\"}]},\"string\"]")]
    [TestCase("money", -1, 0, "[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":19,\"scale\":2}]")]
    [TestCase("bool", -1, 0, "[\"null\",\"boolean\"]")]
    [TestCase("bpchar", 14, 0, "[\"null\",\"string\"]")]
    [TestCase("bytea", -1, 0, "[\"null\",\"bytes\"]")]
    [TestCase("date", -1, 0, "[\"null\",{\"type\":\"int\",\"connect.name\":\"io.debezium.time.Date\"}]")]
    [TestCase("time", 3, 0, "[\"null\",{\"type\":\"int\",\"connect.name\":\"io.debezium.time.Time\"}]")]
    [TestCase("time", 6, 0, "[\"null\",{\"type\":\"long\",\"connect.name\":\"io.debezium.time.MicroTime\"}]")]
    [TestCase("timestamp", 3, 0, "[\"null\",{\"type\":\"long\",\"connect.name\":\"io.debezium.time.Timestamp\"}]")]
    [TestCase("timestamp", -1, 0, "[\"null\",{\"type\":\"long\",\"connect.name\":\"io.debezium.time.MicroTimestamp\"},\"string\"]")]
    [TestCase("timestamptz", -1, 0, "[\"null\",{\"type\":\"string\",\"connect.name\":\"io.debezium.time.ZonedTimestamp\"}]")]
    [TestCase("uuid", -1, 0, "[\"null\",{\"type\":\"string\",\"connect.name\":\"io.debezium.data.Uuid\"}]")]
    [TestCase("interval", -1, 0, "[\"null\",\"string\"]")]
    [TestCase("int4", -1, 1, "[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"int\"]},\"string\"]")]
    [TestCase("text", -1, 2, "[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":[\"null\",\"string\"]}},\"string\"]")]
    public void ValueField_ColumnType_HasTheContractSchema(string type, int typeModifier, int dimensions, string json)
    {
        var field = PgTableSchema.Build("db", "public", "t", [Of(type, typeModifier, dimensions)]).Value.Fields[0];

        Assert.That(field.Schema.ToString(), Is.EqualTo(json));
        Assert.That(field.DefaultValue?.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Null));
    }

    [TestCase(TimePrecisionMode.AdaptiveTimeMicroseconds, "time", 3, "[\"null\",{\"type\":\"long\",\"connect.name\":\"io.debezium.time.MicroTime\"}]")]
    [TestCase(TimePrecisionMode.AvroLogical, "date", -1, "[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"},\"string\"]")]
    [TestCase(TimePrecisionMode.AvroLogical, "time", 3, "[\"null\",{\"type\":\"long\",\"logicalType\":\"time-micros\"},\"string\"]")]
    [TestCase(TimePrecisionMode.AvroLogical, "timestamp", 3, "[\"null\",{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"},\"string\"]")]
    [TestCase(TimePrecisionMode.AvroLogical, "timestamptz", -1, "[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"},\"string\"]")]
    public void ValueField_TimePrecisionModes_ChangeTheTemporalSchemas(TimePrecisionMode mode, string type, int typeModifier, string json) =>
        Assert.That(PgTableSchema.Build("db", "public", "t", [Of(type, typeModifier)], new PgAvroOptions { TimePrecision = mode }).Value.Fields[0].Schema.ToString(),
            Is.EqualTo(json));

    [TestCase(BinaryHandlingMode.Base64, "base64")]
    [TestCase(BinaryHandlingMode.Hex, "hex")]
    public void ValueField_ByteaAsText_IsStringWithEncoding(BinaryHandlingMode mode, string encoding)
    {
        var field = PgTableSchema.Build("db", "public", "t", [Of("bytea")], new PgAvroOptions { BinaryHandling = mode }).Value.Fields[0];

        Assert.That(field.Schema.ToString(), Is.EqualTo("[\"null\",\"string\"]"));
        Assert.That(Datums.Property(field, PgColumnProperties.Encoding), Is.EqualTo(encoding));
    }

    [TestCase(DecimalHandlingMode.String, "[\"null\",\"string\"]")]
    [TestCase(DecimalHandlingMode.Double, "[\"null\",\"double\",\"string\"]")]
    public void ValueField_NumericModes_ChangeTheSchema(DecimalHandlingMode mode, string json) =>
        Assert.That(PgTableSchema.Build("db", "public", "t", [Of("numeric", NumericModifier(5, 1))], new PgAvroOptions { DecimalHandling = mode })
            .Value.Fields[0].Schema.ToString(), Is.EqualTo(json));

    [Test]
    public void ValueField_ColumnProperties_DescribeTheColumn()
    {
        var column = Of("numeric", NumericModifier(12, 2), 1, name: "Total €", notNull: true, keyPosition: 2, formatted: "numeric(12,2)[]")
            with
        { AttributeNumber = 3 };
        column = column with { Type = column.Type with { Domain = "public.amounts" } };

        var value = PgTableSchema.Build("db", "public", "t", [column]).Value;
        var properties = Datums.Properties(value, value.Fields[0].Name);

        Assert.That(properties, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["kafkacdc.column"] = "\"Total €\"",
            ["kafkacdc.type"] = "\"numeric(12,2)[]\"",
            ["kafkacdc.type.name"] = "\"numeric\"",
            ["kafkacdc.type.schema"] = "\"pg_catalog\"",
            ["kafkacdc.type.kind"] = "\"base\"",
            ["kafkacdc.precision"] = "12",
            ["kafkacdc.scale"] = "2",
            ["kafkacdc.array.dims"] = "1",
            ["kafkacdc.nullable"] = "false",
            ["kafkacdc.domain"] = "\"public.amounts\"",
            ["kafkacdc.key.position"] = "2",
        }));
    }

    [TestCase("3", "\"3\"")]
    [TestCase("'it''s new'::text", "\"'it''s new'::text\"")]
    [TestCase("now()", null)]
    [TestCase("nextval('t_id_seq'::regclass)", null)]
    [TestCase(null, null)]
    public void ValueField_Default_CarriedOnlyWhenConstant(string? expression, string? expected)
    {
        var value = PgTableSchema.Build("db", "public", "t", [Of("int4") with { DefaultExpression = expression }]).Value;

        Assert.That(Datums.Properties(value, value.Fields[0].Name).GetValueOrDefault(PgColumnProperties.Default), Is.EqualTo(expected));
    }

    [Test]
    public void Value_GeneratedColumns_DescribedInTheRecordPropertyInOrder_WithoutFields()
    {
        var table = PgTableSchema.Build("db", "public", "t", [Of("numeric", name: "price"), Of("int4", name: "qty"), Of("text", name: "name")], null,
        [
            new PgGeneratedColumn("total", "numeric", "(price * (qty)::numeric)") { References = ["price", "qty"] },
            new PgGeneratedColumn("Lower \"Name\"", "text", "lower(name)") { References = ["name"] },
        ]);

        Assert.That(table.Value.Fields.Select(f => f.Name), Is.EqualTo(new[] { "price", "qty", "name" }), "values are not carried");
        Assert.That(table.Value.GetProperty(PgTableProperties.Generated), Is.EqualTo(
            """[{"column":"total","type":"numeric","expression":"(price * (qty)::numeric)"},{"column":"Lower \"Name\"","type":"text","expression":"lower(name)"}]"""));
        var registered = (RecordSchema)Schema.Parse(table.Envelope.ToString());
        var after = (RecordSchema)AvroSchemas.Unwrap(registered["after"].Schema);
        Assert.That(PgTableProperties.GeneratedColumns(after).Select(g => (g.Name, g.Type, g.Expression)),
            Is.EqualTo(table.GeneratedColumns.Select(g => (g.Name, g.Type, g.Expression))), "read back from the envelope as a registry hands it out");
    }

    [Test]
    public void Value_NoGeneratedColumns_NoProperty()
    {
        var value = PgTableSchema.Build("db", "public", "t", [Of("int4", name: "a")], null, []).Value;

        Assert.That(value.GetProperty(PgTableProperties.Generated), Is.Null);
        Assert.That(PgTableProperties.GeneratedColumns(value), Is.Empty);
    }

    [Test]
    public void Value_OnlyAGeneratedColumnChanges_TheSchemaChanges()
    {
        IReadOnlyList<PgColumn> columns = [Of("int4", name: "id", notNull: true, keyPosition: 1), Of("int4", name: "a")];
        var without = PgTableSchema.Build("db", "public", "t", columns);
        var with = PgTableSchema.Build("db", "public", "t", columns, null, [new PgGeneratedColumn("g", "integer", "(a * 2)") { References = ["a"] }]);
        var changed = PgTableSchema.Build("db", "public", "t", columns, null, [new PgGeneratedColumn("g", "integer", "(a * 3)") { References = ["a"] }]);

        Assert.That(with.Value.ToString(), Is.Not.EqualTo(without.Value.ToString()));
        Assert.That(changed.Value.ToString(), Is.Not.EqualTo(with.Value.ToString()));
        Assert.That(with.Envelope.ToString(), Is.Not.EqualTo(without.Envelope.ToString()), "a new version of the value subject");
        Assert.That(with.Key!.ToString(), Is.EqualTo(without.Key!.ToString()), "the key stays");
    }

    [Test]
    public void Value_GeneratedColumnReadingAnUnpublishedColumn_LeftOut()
    {
        var value = PgTableSchema.Build("db", "public", "t", [Of("int4", name: "a")], null,
            [new PgGeneratedColumn("g", "integer", "(a + b)") { References = ["a", "b"] }, new PgGeneratedColumn("h", "integer", "(a * 2)") { References = ["a"] }]).Value;

        Assert.That(PgTableProperties.GeneratedColumns(value).Select(g => g.Name), Is.EqualTo(new[] { "h" }));
    }

    [TestCase("{}")]
    [TestCase("[{\"column\":\"g\",\"type\":\"integer\"}]")]
    [TestCase("[1]")]
    public void GeneratedColumns_MalformedProperty_IsAnArgumentException(string json)
    {
        var record = (RecordSchema)Schema.Parse(
            $$"""{"type":"record","name":"Value","fields":[{"name":"a","type":"int"}],"{{PgTableProperties.Generated}}":{{json}}}""");

        Assert.That(() => PgTableProperties.GeneratedColumns(record), Throws.ArgumentException.With.Message.Contains(PgTableProperties.Generated));
    }

    [TestCase("varchar", 44, PgColumnProperties.Length, 40)]
    [TestCase("bpchar", 5, PgColumnProperties.Length, 1)]
    [TestCase("bit", 8, PgColumnProperties.Length, 8)]
    [TestCase("timestamptz", 3, PgColumnProperties.Precision, 3)]
    [TestCase("time", 0, PgColumnProperties.Precision, 0)]
    public void ValueField_TypeModifier_GivesLengthOrPrecision(string type, int typeModifier, string property, int expected) =>
        Assert.That(Datums.Property(PgTableSchema.Build("db", "public", "t", [Of(type, typeModifier)]).Value.Fields[0], property),
            Is.EqualTo(expected.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void Build_PrimaryKey_GivesKeyFieldsInKeyOrder()
    {
        var table = PgTableSchema.Build("shop", "public", "order lines", [
            Of("int4", name: "line", notNull: true, keyPosition: 2),
            Of("text", name: "note"),
            Of("int8", name: "order", notNull: true, keyPosition: 1),
        ]);

        Assert.That(table.Key!.Fullname, Is.EqualTo("kafkacdc.shop.public.order_lines.Key"));
        Assert.That(table.Key.Fields.Select(f => f.Name), Is.EqualTo(new[] { "order", "line" }));
        Assert.That(table.Key.Fields.Select(f => f.Schema.Tag), Is.EqualTo(new[] { Schema.Type.Long, Schema.Type.Int }));
        Assert.That(Datums.Property(table.Key.Fields[0], PgColumnProperties.KeyPosition), Is.EqualTo("1"));
        Assert.That(table.Value.Fields.Select(f => f.Name), Is.EqualTo(new[] { "line", "note", "order" }));
        Assert.That(table.KeyColumns.Select(c => c.Column.Name), Is.EqualTo(new[] { "order", "line" }));
    }

    [Test]
    public void Build_NoPrimaryKey_HasNoKeySchema()
    {
        var table = PgTableSchema.Build("db", "public", "log", [Of("text", name: "line")]);

        Assert.That(table.Key, Is.Null);
        Assert.That(table.KeyOf(table.DecodeValue(["x"])), Is.Null);
    }

    [Test]
    public void KeyOf_ValueRecord_TakesTheKeyColumns()
    {
        var table = PgTableSchema.Build("db", "public", "t", [Of("text", name: "b", notNull: true, keyPosition: 2), Of("int4", name: "a", notNull: true, keyPosition: 1)]);

        var key = table.KeyOf(table.DecodeValue(["x", "7"]))!;

        Assert.That(key.Schema, Is.SameAs(table.Key));
        Assert.That(key["a"], Is.EqualTo(7));
        Assert.That(key["b"], Is.EqualTo("x"));
        Assert.That(() => table.KeyOf(table.DecodeValue([null, "7"])), Throws.ArgumentException.With.Message.Contains("\"b\""));
    }

    [Test]
    public void Build_SeveralUnconstrainedNumerics_DefineVariableScaleDecimalOnce()
    {
        var table = PgTableSchema.Build("db", "public", "t", [Of("numeric", name: "a"), Of("numeric", dimensions: 1, name: "b"), Of("numeric", name: "c")]);

        var json = table.Envelope.ToString();

        Assert.That(json.Split("\"name\":\"VariableScaleDecimal\"").Length - 1, Is.EqualTo(1));
        Assert.That(Schema.Parse(json).ToString(), Is.EqualTo(json));
    }

    [Test]
    public void Build_CollidingColumnNames_DeduplicatesFieldNames()
    {
        var table = PgTableSchema.Build("db", "public", "t", [Of("int4", name: "a b"), Of("int4", name: "a_b"), Of("int4", name: "a-b")]);

        Assert.That(table.Value.Fields.Select(f => f.Name), Is.EqualTo(new[] { "a_b", "a_b_2", "a_b_3" }));
        Assert.That(table.Value.Fields.Select(f => Datums.Property(f, PgColumnProperties.Column)), Is.EqualTo(new[] { "a b", "a_b", "a-b" }));
    }

    [Test]
    public void Envelope_ValueRecordWithAfter_RoundTripsThroughAvro()
    {
        var table = PgTableSchema.Build("db", "public", "t", [Of("int4", name: "id", notNull: true, keyPosition: 1), Of("numeric", name: "n")]);
        var source = AvroSchemas.NewRecord(ChangeEventSchemas.Source, "0.1.0", "postgresql", "test", 1L, "false", "db", null, null, "public", "t", 7L, 100L, null, null, null, null);
        var envelope = AvroSchemas.NewRecord(table.Envelope, null, table.DecodeValue(["1", "-1.5"]), source, "c", 2L, 2000L, null);

        var read = new AvroGenericReader(table.Envelope).Read(new AvroGenericWriter(table.Envelope).Serialize(envelope));

        Assert.That(Datums.DeepEquals(read, envelope), Is.True, Datums.Render(read));
    }

    [Test]
    public void Properties_UserDefinedEnum_NameTheType()
    {
        var field = PgTableSchema.Build("db", "public", "t", [UserDefined("mood", PgTypeKind.Enum)]).Value.Fields[0];

        Assert.That(Datums.Property(field, PgColumnProperties.Type), Is.EqualTo("public.mood"));
        Assert.That(Datums.Property(field, PgColumnProperties.TypeKind), Is.EqualTo("enum"));
        Assert.That(Datums.Property(field, PgColumnProperties.TypeSchema), Is.EqualTo("public"));
        Assert.That(Datums.Property(field, PgColumnProperties.Length), Is.Null);
        Assert.That(Datums.Property(field, PgColumnProperties.Nullable), Is.EqualTo("true"));
    }
}
