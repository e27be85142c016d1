using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres.Integration;

public class PgTypeCatalogTests
{
    private const string Setup = """
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
        CREATE DOMAIN price AS numeric(10,2);
        CREATE DOMAIN prices AS numeric(8,3)[];
        CREATE SCHEMA "Other Schema";
        CREATE TYPE "Other Schema"."Pair" AS (a int, b text);
        CREATE TABLE catalog_t (
            id integer,
            "Second Key" text,
            dropped_soon integer,
            n numeric(12,2) NOT NULL,
            v varchar(40),
            c char(6),
            ts timestamptz(3),
            m mood,
            p positive_int,
            pr price,
            prs prices,
            pa positive_int[],
            m2 mood[][],
            i3 integer[][][],
            pair "Other Schema"."Pair",
            b box[],
            iv int2vector,
            gen integer GENERATED ALWAYS AS (id * 2) STORED,
            PRIMARY KEY ("Second Key", id));
        ALTER TABLE catalog_t DROP COLUMN dropped_soon;
        CREATE TABLE no_key (a text);
        """;

    private string _connectionString = "";
    private uint _relation;

    [OneTimeSetUp]
    public async Task CreateTablesAsync()
    {
        _connectionString = await PostgresServerSetUp.Server.CreateDatabaseAsync("types_catalog");
        await using var connection = await OpenAsync();
        await using (var command = new NpgsqlCommand(Setup, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using var oid = new NpgsqlCommand("SELECT 'catalog_t'::regclass::oid", connection);
        _relation = (uint)(await oid.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task DescribeRelation_TableOfManyTypes_DescribesEveryLiveColumn()
    {
        await using var connection = await OpenAsync();

        var columns = (await new PgTypeCatalog().DescribeRelationAsync(connection, _relation, CancellationToken.None)).ToDictionary(c => c.Name);

        Assert.That(columns.Keys, Is.EqualTo(new[] { "id", "Second Key", "n", "v", "c", "ts", "m", "p", "pr", "prs", "pa", "m2", "i3", "pair", "b", "iv", "gen" }));
        Assert.That(columns["id"], Is.EqualTo(columns["id"] with { AttributeNumber = 1, IsNotNull = true, KeyPosition = 2 }));
        Assert.That(columns["Second Key"].KeyPosition, Is.EqualTo(1));
        Assert.That(columns["n"].AttributeNumber, Is.EqualTo(4));
        Assert.That(columns["n"].IsNotNull, Is.True);
        Assert.That(columns["n"].KeyPosition, Is.Null);
        Assert.That(Summary(columns["n"].Type), Is.EqualTo("numeric|pg_catalog|Base|numeric(12,2)|0|||12|2"));
        Assert.That(Summary(columns["v"].Type), Is.EqualTo("varchar|pg_catalog|Base|character varying(40)|0||40||"));
        Assert.That(Summary(columns["c"].Type), Is.EqualTo("bpchar|pg_catalog|Base|character(6)|0||6||"));
        Assert.That(Summary(columns["ts"].Type), Is.EqualTo("timestamptz|pg_catalog|Base|timestamp(3) with time zone|0|||3|"));
        Assert.That(Summary(columns["m"].Type), Is.EqualTo("mood|public|Enum|public.mood|0||||"));
        Assert.That(Summary(columns["p"].Type), Is.EqualTo("int4|pg_catalog|Base|integer|0|public.positive_int|||"));
        Assert.That(Summary(columns["pr"].Type), Is.EqualTo("numeric|pg_catalog|Base|numeric(10,2)|0|public.price||10|2"));
        Assert.That(Summary(columns["prs"].Type), Is.EqualTo("numeric|pg_catalog|Base|numeric(8,3)[]|1|public.prices||8|3"));
        Assert.That(Summary(columns["pa"].Type), Is.EqualTo("int4|pg_catalog|Base|integer[]|1|public.positive_int|||"));
        Assert.That(Summary(columns["m2"].Type), Is.EqualTo("mood|public|Enum|public.mood[]|2||||"));
        Assert.That(Summary(columns["i3"].Type), Is.EqualTo("int4|pg_catalog|Base|integer[]|3||||"));
        Assert.That(Summary(columns["pair"].Type), Is.EqualTo("Pair|Other Schema|Composite|\"Other Schema\".\"Pair\"|0||||"));
        Assert.That(Summary(columns["b"].Type), Is.EqualTo("box|pg_catalog|Base|box[]|1||||"));
        Assert.That(columns["b"].Type.Delimiter, Is.EqualTo(';'));
        Assert.That(Summary(columns["iv"].Type), Is.EqualTo("int2vector|pg_catalog|Base|int2vector|0||||"));
        Assert.That(columns["gen"].IsGenerated, Is.True);
        Assert.That(columns["pa"].Type.Oid, Is.Not.EqualTo(columns["pa"].Type.BaseTypeOid));
    }

    [Test]
    public async Task DescribeColumns_RelationMessageColumns_TrustsNamesAndTypes()
    {
        await using var connection = await OpenAsync();
        var catalog = new PgTypeCatalog();
        var described = await catalog.DescribeRelationAsync(connection, _relation, CancellationToken.None);
        var message = described.Where(c => !c.IsGenerated).Select(c => new PgRelationColumn(c.Name, c.Type.Oid, c.Type.TypeModifier)).ToList();
        message.Add(new PgRelationColumn("dropped since", 23, -1));
        message.Add(new PgRelationColumn("type dropped since", 999_999, -1));

        var columns = await new PgTypeCatalog().DescribeColumnsAsync(connection, _relation, message, CancellationToken.None);

        Assert.That(columns.Take(message.Count - 2), Is.EqualTo(described.Where(c => !c.IsGenerated)));
        Assert.That(columns[^2], Is.EqualTo(new PgColumn("dropped since", null, columns[^2].Type, false, null)));
        Assert.That(columns[^2].Type.FormattedType, Is.EqualTo("integer"));
        Assert.That((columns[^1].Type.Kind, columns[^1].Type.BaseTypeName, columns[^1].Type.FormattedType), Is.EqualTo((PgTypeKind.Pseudo, "unknown", "text")));
    }

    [Test]
    public async Task DescribeColumns_TypeChangedSince_UsesTheMessageType()
    {
        await using var connection = await OpenAsync();

        var columns = await new PgTypeCatalog().DescribeColumnsAsync(
            connection, _relation, [new PgRelationColumn("n", 20, -1), new PgRelationColumn("id", 1700, PgTestColumns.NumericModifier(5, 1))], CancellationToken.None);

        Assert.That(columns[0].Type.FormattedType, Is.EqualTo("bigint"));
        Assert.That(columns[0].IsNotNull, Is.True);
        Assert.That(columns[1].Type.FormattedType, Is.EqualTo("numeric(5,1)"));
        Assert.That(columns[1].KeyPosition, Is.EqualTo(2));
    }

    [Test]
    public async Task DescribeColumns_CachedTypes_AreReused()
    {
        await using var connection = await OpenAsync();
        var catalog = new PgTypeCatalog();
        var first = await catalog.DescribeRelationAsync(connection, _relation, CancellationToken.None);

        var second = await catalog.DescribeColumnsAsync(connection, _relation, [new PgRelationColumn("m", first[6].Type.Oid, -1)], CancellationToken.None);

        Assert.That(second[0].Type, Is.SameAs(first[6].Type));
    }

    [Test]
    public async Task DescribeColumns_RelationDroppedSince_DescribesFromTheMessage()
    {
        await using var connection = await OpenAsync();

        var columns = await new PgTypeCatalog().DescribeColumnsAsync(connection, 4_000_000_000, [new PgRelationColumn("a", 25, -1)], CancellationToken.None);

        Assert.That(columns.Single(), Is.EqualTo(new PgColumn("a", null, columns[0].Type, false, null)));
        Assert.That(columns[0].Type.BaseTypeName, Is.EqualTo("text"));
    }

    [Test]
    public async Task DescribeRelation_NoSuchRelation_Throws()
    {
        await using var connection = await OpenAsync();
        Assert.That(() => new PgTypeCatalog().DescribeRelationAsync(connection, 4_000_000_000, CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("4000000000"));
    }

    [Test]
    public async Task DescribeRelation_TableWithoutKey_HasNoKeyPositions()
    {
        await using var connection = await OpenAsync();
        await using var oid = new NpgsqlCommand("SELECT 'no_key'::regclass::oid", connection);

        var columns = await new PgTypeCatalog().DescribeRelationAsync(connection, (uint)(await oid.ExecuteScalarAsync())!, CancellationToken.None);

        Assert.That(columns.Single().KeyPosition, Is.Null);
    }

    [Test]
    public async Task DescribeRelation_InsideTransaction_LeavesItOpen()
    {
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using var now = new NpgsqlCommand("SELECT now()", connection, transaction);
        var before = await now.ExecuteScalarAsync();

        await new PgTypeCatalog().DescribeRelationAsync(connection, _relation, CancellationToken.None);

        Assert.That(await now.ExecuteScalarAsync(), Is.EqualTo(before), "now() is the transaction's start, so the same transaction is still open");
    }

    [Test]
    public async Task DescribeGeneratedColumns_StoredGeneratedColumns_InOrderWithTypeExpressionAndInputs()
    {
        await using var connection = await OpenAsync();
        await using (var create = new NpgsqlCommand("""
            CREATE TABLE generated_t (id integer PRIMARY KEY, name text, price numeric(10,2), qty integer,
                total numeric GENERATED ALWAYS AS (price * qty) STORED,
                "Lower Name" varchar(20) GENERATED ALWAYS AS (lower(name)) STORED,
                plain integer DEFAULT 3)
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using var oid = new NpgsqlCommand("SELECT 'generated_t'::regclass::oid", connection);

        var generated = await new PgTypeCatalog().DescribeGeneratedColumnsAsync(connection, (uint)(await oid.ExecuteScalarAsync())!, CancellationToken.None);

        Assert.That(generated.Select(g => $"{g.Name}|{g.Type}|{g.Expression}|{string.Join(",", g.References)}"), Is.EqualTo(new[]
        {
            "total|numeric|(price * (qty)::numeric)|price,qty",
            "Lower Name|character varying(20)|lower(name)|name",
        }));
    }

    [Test]
    public async Task DescribeGeneratedColumns_NoneOrNoRelation_Empty()
    {
        await using var connection = await OpenAsync();

        Assert.That(await new PgTypeCatalog().DescribeGeneratedColumnsAsync(connection, 4_000_000_000, CancellationToken.None), Is.Empty);
    }

    private static string Summary(PgColumnType type) =>
        $"{type.BaseTypeName}|{type.BaseTypeSchema}|{type.Kind}|{type.FormattedType}|{type.ArrayDimensions}|{type.Domain}|{type.Length}|{type.Precision}|{type.Scale}";

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
