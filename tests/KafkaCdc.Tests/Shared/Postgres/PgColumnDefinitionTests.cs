using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using static KafkaCdc.Tests.Shared.Postgres.PgTestColumns;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgColumnDefinitionTests
{
    [Test]
    public void FromField_WithColumnProperties_TakesTheSourceColumn()
    {
        var table = PgTableSchema.Build("db", "public", "t", [Of("varchar", 44, name: "Order \"Id\"", notNull: true, keyPosition: 1, formatted: "character varying(40)")]);

        var value = PgColumnDefinition.FromField(table.Value.Fields[0]);
        var key = PgColumnDefinition.FromField(table.Key!.Fields[0], isKeyField: true);

        Assert.That(value.Name, Is.EqualTo("Order \"Id\""));
        Assert.That(value.SqlType, Is.EqualTo("character varying(40)"));
        Assert.That(value.FallbackSqlType, Is.EqualTo("character varying(40)"));
        Assert.That(value.IsUserDefinedType, Is.False);
        Assert.That(value.IsNullable, Is.False);
        Assert.That(value.KeyPosition, Is.EqualTo(1));
        Assert.That(value.HasColumnProperties, Is.True);
        Assert.That(value.ToSql(), Is.EqualTo("\"Order \"\"Id\"\"\" character varying(40) NOT NULL"));
        Assert.That(key.KeyPosition, Is.EqualTo(1));
        Assert.That(key.IsNullable, Is.False);
    }

    [Test]
    public void FromField_UserDefinedEnumArray_FallsBackToTextArray()
    {
        var field = PgTableSchema.Build("db", "public", "t", [UserDefined("mood", PgTypeKind.Enum, dimensions: 1)]).Value.Fields[0];

        var definition = PgColumnDefinition.FromField(field);

        Assert.That(definition.SqlType, Is.EqualTo("public.mood[]"));
        Assert.That(definition.IsUserDefinedType, Is.True);
        Assert.That((definition.TypeSchema, definition.TypeName), Is.EqualTo(("public", "mood")));
        Assert.That(definition.FallbackSqlType, Is.EqualTo("text[]"));
        Assert.That(definition.ArrayDimensions, Is.EqualTo(1));
        Assert.That(definition.IsNullable, Is.True);
        Assert.That(definition.ToSql(useFallbackType: true), Is.EqualTo("\"c\" text[]"));
    }

    private static IEnumerable<TestCaseData> ForeignSchemas()
    {
        TestCaseData Case(Schema schema, string sql) => new TestCaseData(schema, sql).SetArgDisplayNames(sql);

        yield return Case(AvroSchemas.Int, "integer");
        yield return Case(AvroSchemas.Long, "bigint");
        yield return Case(AvroSchemas.Float, "real");
        yield return Case(AvroSchemas.Double, "double precision");
        yield return Case(AvroSchemas.Boolean, "boolean");
        yield return Case(AvroSchemas.String, "text");
        yield return Case(AvroSchemas.Bytes, "bytea");
        yield return Case(AvroSchemas.Decimal(12, 3), "numeric(12,3)");
        yield return Case(AvroSchemas.Decimal(2000, 3), "numeric");
        yield return Case(AvroSchemas.Logical(Schema.Type.Int, "date"), "date");
        yield return Case(AvroSchemas.Logical(Schema.Type.Int, "time-millis"), "time");
        yield return Case(AvroSchemas.Logical(Schema.Type.Long, "time-micros"), "time");
        yield return Case(AvroSchemas.Logical(Schema.Type.Long, "timestamp-millis"), "timestamp with time zone");
        yield return Case(AvroSchemas.Logical(Schema.Type.Long, "local-timestamp-micros"), "timestamp without time zone");
        yield return Case(AvroSchemas.Logical(Schema.Type.String, "uuid"), "uuid");
        yield return Case(AvroSchemas.Named(Schema.Type.Int, "io.debezium.time.Date"), "date");
        yield return Case(AvroSchemas.Named(Schema.Type.Int, "io.debezium.time.Time"), "time");
        yield return Case(AvroSchemas.Named(Schema.Type.Long, "io.debezium.time.MicroTime"), "time");
        yield return Case(AvroSchemas.Named(Schema.Type.Long, "io.debezium.time.Timestamp"), "timestamp without time zone");
        yield return Case(AvroSchemas.Union(AvroSchemas.Null, AvroSchemas.Named(Schema.Type.Long, "io.debezium.time.MicroTimestamp"), AvroSchemas.String),
            "timestamp without time zone");
        yield return Case(AvroSchemas.Named(Schema.Type.String, "io.debezium.time.ZonedTimestamp"), "timestamp with time zone");
        yield return Case(AvroSchemas.Named(Schema.Type.String, "io.debezium.data.Uuid"), "uuid");
        yield return Case(AvroSchemas.Nullable(AvroSchemas.Array(AvroSchemas.Nullable(AvroSchemas.Long))), "bigint[]");
        yield return Case(AvroSchemas.Array(AvroSchemas.Array(AvroSchemas.Int)), "integer[]");
        yield return Case(ChangeEventSchemas.VariableScaleDecimal, "numeric");
        yield return Case(AvroSchemas.Union(AvroSchemas.Null, AvroSchemas.Decimal(5, 2), AvroSchemas.String), "numeric(5,2)");
        yield return Case(AvroSchemas.Union(AvroSchemas.Null, AvroSchemas.Array(AvroSchemas.Int), AvroSchemas.String), "integer[]");
        yield return Case(MapSchema.CreateMap(AvroSchemas.String), "jsonb");
        yield return Case(AvroSchemas.Record("R", "x", [new AvroSchemas.FieldDefinition("a", AvroSchemas.Int)]), "jsonb");
        yield return Case(Schema.Parse("""{"type":"enum","name":"E","namespace":"x","symbols":["A","B"]}"""), "text");
        yield return Case(Schema.Parse("""{"type":"fixed","name":"F","namespace":"x","size":4}"""), "bytea");
        yield return Case(AvroSchemas.Union(AvroSchemas.Null, AvroSchemas.Int, AvroSchemas.String), "text");
    }

    [TestCaseSource(nameof(ForeignSchemas))]
    public void FromField_WithoutColumnProperties_DerivesTheTypeFromAvro(Schema schema, string sql)
    {
        var definition = PgColumnDefinition.FromField(Field("f", schema));

        Assert.That(definition.SqlType, Is.EqualTo(sql));
        Assert.That(definition.HasColumnProperties, Is.False);
        Assert.That(definition.Name, Is.EqualTo("f"));
        Assert.That(definition.IsUserDefinedType, Is.False);
    }

    [Test]
    public void FromField_ForeignNullability_FollowsTheUnion()
    {
        Assert.That(PgColumnDefinition.FromField(Field("f", AvroSchemas.Nullable(AvroSchemas.Int))).IsNullable, Is.True);
        Assert.That(PgColumnDefinition.FromField(Field("f", AvroSchemas.Int)).IsNullable, Is.False);
        Assert.That(PgColumnDefinition.FromField(Field("f", AvroSchemas.Nullable(AvroSchemas.Int)), isKeyField: true).IsNullable, Is.False);
    }

    [Test]
    public void FromField_ForeignKeyRecord_NumbersKeyFieldsByPosition()
    {
        var key = AvroSchemas.Record("Key", "x", [new AvroSchemas.FieldDefinition("a", AvroSchemas.Int), new AvroSchemas.FieldDefinition("b", AvroSchemas.String)]);
        Assert.That(key.Fields.Select(f => PgColumnDefinition.FromField(f, isKeyField: true).KeyPosition), Is.EqualTo(new int?[] { 1, 2 }));
    }

    static Field Field(string name, Schema schema) => new(schema, name, 0);
}
