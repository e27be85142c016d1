using System.Numerics;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.AvroFormat;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.Tests.Shared.Postgres.Integration;

/// <summary>
/// The proof on a real server: every contract type, rows of extreme values, read as text under the pinned
/// settings, decoded to Avro, written and read back as Avro binary, encoded to text again, copied into a table
/// created from the <see cref="PgColumnDefinition"/>s through a text staging table and <c>::type</c> casts, and
/// compared with the source as <c>row::text</c>.
/// </summary>
public class TypeRoundTripTests
{
    private string _connectionString = "";
    private IReadOnlyList<PgColumn> _columns = [];

    [OneTimeSetUp]
    public async Task CreateSourceRowsAsync()
    {
        _connectionString = await PostgresServerSetUp.Server.CreateDatabaseAsync("types_roundtrip");
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, TypeRoundTripRows.Setup);
        foreach (var insert in TypeRoundTripRows.Inserts) await ExecuteAsync(connection, insert);

        await using var oid = new NpgsqlCommand("SELECT 'source_rows'::regclass::oid", connection);
        _columns = await new PgTypeCatalog().DescribeRelationAsync(connection, (uint)(await oid.ExecuteScalarAsync())!, CancellationToken.None);
    }

    [TestCase(BinaryHandlingMode.Bytes, DecimalHandlingMode.Precise, TimePrecisionMode.Adaptive)]
    [TestCase(BinaryHandlingMode.Base64, DecimalHandlingMode.String, TimePrecisionMode.AdaptiveTimeMicroseconds)]
    [TestCase(BinaryHandlingMode.Hex, DecimalHandlingMode.Precise, TimePrecisionMode.AvroLogical)]
    public async Task RoundTrip_EveryTypeAndExtremeValue_CopyEqualsSource(BinaryHandlingMode binary, DecimalHandlingMode decimals, TimePrecisionMode time)
    {
        var table = PgTableSchema.Build("types_roundtrip", "public", "source_rows", _columns,
            new PgAvroOptions { BinaryHandling = binary, DecimalHandling = decimals, TimePrecision = time });
        var writer = new AvroGenericWriter(table.Value);
        var reader = new AvroGenericReader(table.Value);
        var destination = $"copy_{binary}_{decimals}_{time}".ToLowerInvariant();
        var definitions = table.Value.Fields.Select(f => PgColumnDefinition.FromField(f)).ToList();
        await using var connection = await OpenAsync();

        var encodedRows = new List<string?[]>();
        foreach (var texts in await ReadTextRowsAsync(connection, "source_rows"))
        {
            var value = table.DecodeValue(texts);
            var readBack = (GenericRecord)reader.Read(writer.Serialize(value))!;
            Assert.That(Datums.DeepEquals(readBack, value), Is.True, $"Avro binary round trip of row {texts[0]}: {Datums.Render(readBack)} != {Datums.Render(value)}");
            encodedRows.Add([.. definitions.Select((d, i) => d.Encoder.Encode(readBack.GetValue(i)))]);
        }

        await CopyAsync(connection, destination, definitions, encodedRows);

        var source = await ReadRowTextsAsync(connection, "source_rows");
        var copy = await ReadRowTextsAsync(connection, destination);
        Assert.That(copy, Has.Count.EqualTo(TypeRoundTripRows.Rows.Count));
        Assert.That(copy, Is.EqualTo(source));
    }

    /// <summary>The sink's fast path: Avro binary straight to text gives, field by field, what the encoders give for the decoded datums.</summary>
    [TestCase(BinaryHandlingMode.Bytes, DecimalHandlingMode.Precise, TimePrecisionMode.Adaptive)]
    [TestCase(BinaryHandlingMode.Base64, DecimalHandlingMode.String, TimePrecisionMode.AvroLogical)]
    [TestCase(BinaryHandlingMode.Hex, DecimalHandlingMode.Double, TimePrecisionMode.AdaptiveTimeMicroseconds)]
    public async Task TextRowDecoder_EveryTypeAndExtremeValue_GivesTheEncodersText(BinaryHandlingMode binary, DecimalHandlingMode decimals, TimePrecisionMode time)
    {
        var table = PgTableSchema.Build("types_roundtrip", "public", "source_rows", _columns,
            new PgAvroOptions { BinaryHandling = binary, DecimalHandling = decimals, TimePrecision = time });
        var writer = new AvroGenericWriter(table.Value);
        var reader = new AvroGenericReader(table.Value);
        var decoder = PgTextRowDecoder.For(table.Value);
        var definitions = table.Value.Fields.Select(f => PgColumnDefinition.FromField(f)).ToList();
        await using var connection = await OpenAsync();

        foreach (var texts in await ReadTextRowsAsync(connection, "source_rows"))
        {
            var bytes = writer.Serialize(table.DecodeValue(texts));
            var generic = (GenericRecord)reader.Read(bytes)!;
            var row = ReadText(decoder, bytes);
            Assert.That(row.FieldCount, Is.EqualTo(definitions.Count));
            for (var i = 0; i < definitions.Count; i++)
            {
                Assert.That(row.TextOf(i), Is.EqualTo(definitions[i].Encoder.Encode(generic.GetValue(i))), $"row {texts[0]}, column {definitions[i].Name}");
                Assert.That(row.LengthOf(i) == PgTextRow.NullLength, Is.EqualTo(generic.GetValue(i) is null), $"row {texts[0]}, column {definitions[i].Name} NULL");
            }
        }
    }

    /// <summary>The sink hands plain ISO instants to PostgreSQL as they are: PostgreSQL must read each as that instant.</summary>
    [Test]
    public async Task PlainIsoInstants_AsTimestamptzInput_ArePostgresInstants()
    {
        var random = new Random(3339);
        const long first = -62135596800000000L, end = 253402300800000000L; // 0001-01-01 to 10000-01-01, UTC
        var instants = Enumerable.Range(0, 2000).Select(_ => random.NextInt64(first, end))
            .Select((m, i) => i % 3 == 0 ? m - (m % 1_000_000) : i % 3 == 1 ? m - (m % 1000) : m).Concat([first, end - 1, 0]).ToArray();
        var texts = instants.Select(m => PgDateTimeText.FormatIsoInstant(m)).ToArray();
        Assert.That(texts.Where(t => !PgDateTimeText.IsPlainIsoInstant(t.AsSpan())), Is.Empty);
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (extract(epoch FROM t::timestamptz) * 1000000)::bigint::text FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var read = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) read.Add(long.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(read, Is.EqualTo(instants));
    }

    private static PgTextRow ReadText(PgTextRowDecoder decoder, byte[] bytes)
    {
        var reader = new AvroBinaryReader(bytes);
        var row = decoder.Read(ref reader);
        reader.ExpectEnd();
        return row;
    }

    [Test]
    public async Task Decode_OrdinaryRow_GivesTheContractDatums()
    {
        var table = PgTableSchema.Build("types_roundtrip", "public", "source_rows", _columns);
        await using var connection = await OpenAsync();
        var row = table.DecodeValue((await ReadTextRowsAsync(connection, "source_rows"))[5]);

        Assert.That(row["c_smallint"], Is.EqualTo(7));
        Assert.That(row["c_bigint"], Is.EqualTo(1234567890123L));
        Assert.That(row["c_oid"], Is.EqualTo(12345L));
        Assert.That(row["c_real"], Is.EqualTo(1.5f));
        Assert.That(row["c_double"], Is.EqualTo(0.1));
        Assert.That(row["c_numeric_10_2"], Is.EqualTo(new AvroDecimal(1230, 2)));
        Assert.That(row["c_numeric_1000"], Is.EqualTo(new AvroDecimal(BigInteger.Parse("15" + new string('0', 499)), 500)));
        Assert.That(row["c_numeric_neg"], Is.EqualTo(new AvroDecimal(12000, 0)));
        var variable = (GenericRecord)row["c_numeric"]!;
        Assert.That((variable["scale"], new BigInteger((byte[])variable["value"]!, isBigEndian: true)), Is.EqualTo((4, new BigInteger(-1234500))));
        Assert.That(row["c_money"], Is.EqualTo(new AvroDecimal(123450, 2)));
        Assert.That(row["c_char"], Is.EqualTo("ab    "));
        Assert.That(row["c_bytea"], Is.EqualTo(new byte[] { 0xde, 0xad, 0xbe, 0xef }));
        Assert.That(row["c_date"], Is.EqualTo(19782));
        Assert.That(row["c_time"], Is.EqualTo(45_296_500_000L));
        Assert.That(row["c_timestamp"], Is.EqualTo(1_705_314_030_123_456L));
        Assert.That(row["c_timestamptz"], Is.EqualTo("2024-01-15T10:20:30.123456Z"));
        Assert.That(row["c_interval"], Is.EqualTo("P1DT2H3M4.5S"));
        Assert.That(row["c_mood"], Is.EqualTo("happy"));
        Assert.That(row["c_positive"], Is.EqualTo(5));
        Assert.That(row["c_price"], Is.EqualTo(new AvroDecimal(999, 2)));
        Assert.That(row["c_int_matrix"], Is.EqualTo(new List<object?> { new List<object?> { 1, 2 }, new List<object?> { 3, 4 } }));
        Assert.That(row["c_box_array"], Is.EqualTo(new List<object?> { "(1,1),(0,0)" }));
        Assert.That(row["Order__Id___"], Is.EqualTo(1));
        Assert.That(table.KeyOf(row)!["id"], Is.EqualTo(6));
    }

    [Test]
    public async Task Decode_ExtremeRows_UseStringBranchesAndSentinels()
    {
        var table = PgTableSchema.Build("types_roundtrip", "public", "source_rows", _columns);
        await using var connection = await OpenAsync();
        var rows = (await ReadTextRowsAsync(connection, "source_rows")).Select(table.DecodeValue).ToList();

        Assert.That(rows[0].Schema.Fields.Skip(1).All(f => rows[0].GetValue(f.Pos) is null), Is.True);
        Assert.That(rows[3]["c_numeric"], Is.EqualTo("NaN"));
        Assert.That(rows[3]["c_numeric_10_2"], Is.EqualTo("NaN"));
        Assert.That(rows[4]["c_numeric"], Is.EqualTo("-Infinity"));
        Assert.That(rows[3]["c_date"], Is.EqualTo(int.MaxValue));
        Assert.That(rows[3]["c_timestamp3"], Is.EqualTo(long.MinValue));
        Assert.That(rows[2]["c_time"], Is.EqualTo(86_400_000_000L));
        Assert.That(rows[3]["c_int_array"], Is.EqualTo("[0:2]={1,2,3}"));
        Assert.That(rows[3]["c_int_matrix"], Is.EqualTo("{1,2}"));
        Assert.That(rows[2]["c_text_array"], Has.Member(null).And.Member("NULL").And.Member("back\\slash"));
        Assert.That(rows[4]["c_mood_array"], Is.EqualTo(new List<object?> { null, "NULL" }));
        Assert.That(rows[1]["c_int_matrix"], Is.EqualTo(new List<object?>()));
        Assert.That(((string)rows[2]["c_text"]!).EnumerateRunes().Any(r => r.Value == 0x1F600), Is.True);
        Assert.That(rows[1]["c_date"], Is.EqualTo(-2440588));
    }

    /// <summary>Every row as output-function text (not <c>::text</c> casts, which differ for bool and char(n)), by id.</summary>
    private static async Task<List<string?[]>> ReadTextRowsAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT * FROM {PgIdentifier.Quote(table)} ORDER BY id", connection) { AllResultTypesAreUnknown = true };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
        }

        return rows;
    }

    private static async Task<List<string>> ReadRowTextsAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT t::text FROM {PgIdentifier.Quote(table)} t ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>What a sink does: CREATE TABLE from the definitions, COPY the texts into a staging table of text columns, cast server-side.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, string destination, List<PgColumnDefinition> definitions, List<string?[]> rows)
    {
        var key = string.Join(", ", definitions.Where(d => d.KeyPosition is not null).OrderBy(d => d.KeyPosition).Select(d => PgIdentifier.Quote(d.Name)));
        await ExecuteAsync(connection, $"""
            CREATE TABLE {PgIdentifier.Quote(destination)} ({string.Join(", ", definitions.Select(d => d.ToSql()))}, PRIMARY KEY ({key}));
            CREATE TEMPORARY TABLE staging ({string.Join(", ", definitions.Select((_, i) => $"c{i} text"))});
            """);
        await using (var import = await connection.BeginBinaryImportAsync("COPY staging FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync();
                foreach (var text in row)
                {
                    await import.WriteAsync(text, NpgsqlDbType.Text);
                }
            }

            await import.CompleteAsync();
        }

        await ExecuteAsync(connection, $"""
            INSERT INTO {PgIdentifier.Quote(destination)} SELECT {string.Join(", ", definitions.Select((d, i) => $"c{i}::{d.SqlType}"))} FROM staging;
            DROP TABLE staging;
            """);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
