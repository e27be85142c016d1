using KafkaCdc.Shared.Avro;
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
        TestCaseData Case(AvroSchema schema, string sql) => new TestCaseData(schema, sql).SetArgDisplayNames(sql);

        yield return Case(AvroSchema.Int, "integer");
        yield return Case(AvroSchema.Long, "bigint");
        yield return Case(AvroSchema.Float, "real");
        yield return Case(AvroSchema.Double, "double precision");
        yield return Case(AvroSchema.Boolean, "boolean");
        yield return Case(AvroSchema.String, "text");
        yield return Case(AvroSchema.Bytes, "bytea");
        yield return Case(AvroSchema.Decimal(12, 3), "numeric(12,3)");
        yield return Case(AvroSchema.Decimal(2000, 3), "numeric");
        yield return Case(AvroSchema.Date, "date");
        yield return Case(AvroSchema.TimeMillis, "time");
        yield return Case(AvroSchema.TimeMicros, "time");
        yield return Case(AvroSchema.TimestampMillis, "timestamp with time zone");
        yield return Case(AvroSchema.LocalTimestampMicros, "timestamp without time zone");
        yield return Case(AvroSchema.Uuid, "uuid");
        yield return Case(AvroSchema.Nullable(AvroSchema.Array(AvroSchema.Nullable(AvroSchema.Long))), "bigint[]");
        yield return Case(AvroSchema.Array(AvroSchema.Array(AvroSchema.Int)), "integer[]");
        yield return Case(ChangeEventSchemas.VariableScaleDecimal, "numeric");
        yield return Case(AvroSchema.Union(AvroSchema.Null, AvroSchema.Decimal(5, 2), AvroSchema.String), "numeric(5,2)");
        yield return Case(AvroSchema.Union(AvroSchema.Null, AvroSchema.Array(AvroSchema.Int), AvroSchema.String), "integer[]");
        yield return Case(AvroSchema.Map(AvroSchema.String), "jsonb");
        yield return Case(new RecordSchema("R", "x", [new AvroField("a", AvroSchema.Int)]), "jsonb");
        yield return Case(new EnumSchema("E", "x", ["A", "B"]), "text");
        yield return Case(new FixedSchema("F", "x", 4), "bytea");
        yield return Case(AvroSchema.Union(AvroSchema.Null, AvroSchema.Int, AvroSchema.String), "text");
    }

    [TestCaseSource(nameof(ForeignSchemas))]
    public void FromField_WithoutColumnProperties_DerivesTheTypeFromAvro(AvroSchema schema, string sql)
    {
        var definition = PgColumnDefinition.FromField(new AvroField("f", schema));

        Assert.That(definition.SqlType, Is.EqualTo(sql));
        Assert.That(definition.HasColumnProperties, Is.False);
        Assert.That(definition.Name, Is.EqualTo("f"));
        Assert.That(definition.IsUserDefinedType, Is.False);
    }

    [Test]
    public void FromField_ForeignNullability_FollowsTheUnion()
    {
        Assert.That(PgColumnDefinition.FromField(new AvroField("f", AvroSchema.Nullable(AvroSchema.Int))).IsNullable, Is.True);
        Assert.That(PgColumnDefinition.FromField(new AvroField("f", AvroSchema.Int)).IsNullable, Is.False);
        Assert.That(PgColumnDefinition.FromField(new AvroField("f", AvroSchema.Nullable(AvroSchema.Int)), isKeyField: true).IsNullable, Is.False);
    }

    [Test]
    public void FromField_ForeignKeyRecord_NumbersKeyFieldsByPosition()
    {
        var key = new RecordSchema("Key", "x", [new AvroField("a", AvroSchema.Int), new AvroField("b", AvroSchema.String)]);
        Assert.That(key.Fields.Select(f => PgColumnDefinition.FromField(f, isKeyField: true).KeyPosition), Is.EqualTo(new int?[] { 1, 2 }));
    }
}
