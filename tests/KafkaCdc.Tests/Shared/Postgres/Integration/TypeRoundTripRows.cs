using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres.Integration;

/// <summary>
/// The table of every contract type and its rows of extreme values for <see cref="TypeRoundTripTests"/>. Values are
/// PostgreSQL input text, inserted as dollar-quoted literals (backslashes and quotes are taken as they are).
/// </summary>
internal static class TypeRoundTripRows
{
    public const string Setup = """
        CREATE EXTENSION IF NOT EXISTS citext;
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'with space', 'quote"d', 'NULL');
        CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
        CREATE DOMAIN price AS numeric(10,2);
        CREATE TYPE pair AS (a integer, b text);
        CREATE TABLE source_rows (
            id integer PRIMARY KEY,
            c_smallint smallint, c_integer integer, c_bigint bigint, c_oid oid,
            c_real real, c_double double precision,
            c_numeric numeric, c_numeric_10_2 numeric(10,2), c_numeric_1000 numeric(1000,500), c_numeric_neg numeric(5,-3),
            c_money money, c_boolean boolean,
            c_text text, c_varchar varchar(40), c_char char(6), c_name name, c_qchar "char", c_citext citext,
            c_bytea bytea,
            c_date date, c_time time, c_time3 time(3), c_timestamp timestamp, c_timestamp3 timestamp(3),
            c_timestamptz timestamptz, c_timestamptz0 timestamptz(0),
            c_uuid uuid, c_timetz timetz, c_interval interval, c_interval_ym interval year to month,
            c_json json, c_jsonb jsonb, c_xml xml,
            c_inet inet, c_cidr cidr, c_macaddr macaddr, c_macaddr8 macaddr8, c_bit bit(4), c_varbit varbit(8),
            c_tsvector tsvector, c_tsquery tsquery, c_int4range int4range, c_tstzrange tstzrange, c_nummultirange nummultirange,
            c_point point, c_line line, c_lseg lseg, c_box box, c_path path, c_polygon polygon, c_circle circle,
            c_pg_lsn pg_lsn, c_mood mood, c_positive positive_int, c_price price, c_pair pair, c_txid_snapshot txid_snapshot,
            c_int_array integer[], c_int_matrix integer[][], c_text_array text[], c_text_matrix text[][],
            c_numeric_array numeric(6,2)[], c_numeric_var_array numeric[], c_date_array date[], c_timestamptz_array timestamptz[],
            c_bytea_array bytea[], c_box_array box[], c_mood_array mood[], c_bool_array boolean[], c_double_array double precision[],
            c_uuid_array uuid[], c_jsonb_array jsonb[], c_char_array char(3)[], c_positive_array positive_int[],
            c_money_array money[], c_interval_array interval[],
            "Order ""Id"" €" integer,
            "order id" text
        );
        """;

    /// <summary>The rows after <c>id</c>: column name to input text; columns not named are NULL.</summary>
    /// <summary>One <c>INSERT</c> per row of <see cref="Rows"/>, ids 1, 2, ... in order.</summary>
    public static IEnumerable<string> Inserts => Rows.Select((row, i) =>
        $"INSERT INTO source_rows (id{string.Concat(row.Keys.Select(k => ", " + PgIdentifier.Quote(k)))}) " +
        $"VALUES ({i + 1}{string.Concat(row.Values.Select(v => $", $v${v}$v$"))})");

    public static IReadOnlyList<Dictionary<string, string>> Rows { get; } =
    [
        // 1: every column NULL.
        new(),

        // 2: minimum values, empty strings and arrays.
        new()
        {
            ["c_smallint"] = "-32768", ["c_integer"] = "-2147483648", ["c_bigint"] = "-9223372036854775808", ["c_oid"] = "0",
            ["c_real"] = "-3.4028235e+38", ["c_double"] = "-1.7976931348623157e+308",
            ["c_numeric"] = "-" + new string('9', 1000), ["c_numeric_10_2"] = "-99999999.99",
            ["c_numeric_1000"] = "-" + new string('9', 500) + "." + new string('9', 500), ["c_numeric_neg"] = "-99999000",
            ["c_money"] = "-92233720368547758.08", ["c_boolean"] = "f",
            ["c_text"] = "", ["c_varchar"] = "", ["c_char"] = "", ["c_name"] = "", ["c_qchar"] = "", ["c_citext"] = "",
            ["c_bytea"] = "\\x",
            ["c_date"] = "4714-11-24 BC", ["c_time"] = "00:00:00", ["c_time3"] = "00:00:00",
            ["c_timestamp"] = "4714-11-24 00:00:00 BC", ["c_timestamp3"] = "4714-11-24 00:00:00 BC",
            ["c_timestamptz"] = "4714-11-24 00:00:00+00 BC", ["c_timestamptz0"] = "4714-11-24 00:00:00+00 BC",
            ["c_uuid"] = "00000000-0000-0000-0000-000000000000", ["c_timetz"] = "00:00:00+15:59",
            ["c_interval"] = "-178000000 years", ["c_interval_ym"] = "-178000000 years",
            ["c_json"] = "[]", ["c_jsonb"] = "{}", ["c_xml"] = "",
            ["c_inet"] = "0.0.0.0/0", ["c_cidr"] = "0.0.0.0/0", ["c_macaddr"] = "00:00:00:00:00:00", ["c_macaddr8"] = "00:00:00:00:00:00:00:00",
            ["c_bit"] = "0000", ["c_varbit"] = "",
            ["c_tsvector"] = "", ["c_tsquery"] = "", ["c_int4range"] = "empty", ["c_tstzrange"] = "(,)", ["c_nummultirange"] = "{}",
            ["c_point"] = "(-1e300,-1e300)", ["c_line"] = "{1,-1,0}", ["c_lseg"] = "[(0,0),(0,0)]", ["c_box"] = "(0,0),(0,0)",
            ["c_path"] = "[(0,0)]", ["c_polygon"] = "((0,0))", ["c_circle"] = "<(0,0),0>",
            ["c_pg_lsn"] = "0/0", ["c_mood"] = "sad", ["c_positive"] = "1", ["c_price"] = "-99999999.99", ["c_pair"] = "(,)",
            ["c_txid_snapshot"] = "1:1:",
            ["c_int_array"] = "{}", ["c_int_matrix"] = "{}", ["c_text_array"] = "{}", ["c_text_matrix"] = "{}",
            ["c_numeric_array"] = "{}", ["c_numeric_var_array"] = "{}", ["c_date_array"] = "{}", ["c_timestamptz_array"] = "{}",
            ["c_bytea_array"] = "{}", ["c_box_array"] = "{}", ["c_mood_array"] = "{}", ["c_bool_array"] = "{}", ["c_double_array"] = "{}",
            ["c_uuid_array"] = "{}", ["c_jsonb_array"] = "{}", ["c_char_array"] = "{}", ["c_positive_array"] = "{}",
            ["c_money_array"] = "{}", ["c_interval_array"] = "{}",
            ["Order \"Id\" €"] = "-1", ["order id"] = "",
        },

        // 3: maximum values, unicode and characters that need quoting.
        new()
        {
            ["c_smallint"] = "32767", ["c_integer"] = "2147483647", ["c_bigint"] = "9223372036854775807", ["c_oid"] = "4294967295",
            ["c_real"] = "3.4028235e+38", ["c_double"] = "1.7976931348623157e+308",
            ["c_numeric"] = "1" + new string('0', 999) + "." + new string('0', 999) + "1", ["c_numeric_10_2"] = "99999999.99",
            ["c_numeric_1000"] = new string('9', 500) + "." + new string('9', 500), ["c_numeric_neg"] = "99999000",
            ["c_money"] = "92233720368547758.07", ["c_boolean"] = "t",
            ["c_text"] = "Zoë 😀 \"quoted\" \\ back, {braces} 'single' tab\tnewline\nend\r\u0001",
            ["c_varchar"] = string.Concat(Enumerable.Repeat("😀", 40)), ["c_char"] = "abc", ["c_name"] = new string('n', 63), ["c_qchar"] = "z",
            ["c_citext"] = "MiXeD ÄÖ",
            ["c_bytea"] = "\\x" + Convert.ToHexStringLower([.. Enumerable.Range(0, 256).Select(b => (byte)b)]),
            ["c_date"] = "5874897-12-31", ["c_time"] = "24:00:00", ["c_time3"] = "23:59:59.999",
            ["c_timestamp"] = "294276-12-31 23:59:59.999999", ["c_timestamp3"] = "294276-12-31 23:59:59.999",
            ["c_timestamptz"] = "294276-12-31 23:59:59.999999+00", ["c_timestamptz0"] = "294276-12-31 23:59:59+00",
            ["c_uuid"] = "ffffffff-ffff-ffff-ffff-ffffffffffff", ["c_timetz"] = "24:00:00-15:59",
            ["c_interval"] = "178000000 years 11 months 12345 days 23:59:59.999999", ["c_interval_ym"] = "178000000 years 11 months",
            ["c_json"] = "{\"a\": [1, 2.50, \"\\ud83d\\ude00\"], \"b\": null}", ["c_jsonb"] = "{\"k\": \"v😀\", \"n\": 1.000}",
            ["c_xml"] = "<a b=\"1\">text &amp; 😀</a>",
            ["c_inet"] = "2001:db8::ff/128", ["c_cidr"] = "2001:db8::/32", ["c_macaddr"] = "ff:ff:ff:ff:ff:ff", ["c_macaddr8"] = "ff:ff:ff:ff:ff:ff:ff:ff",
            ["c_bit"] = "1111", ["c_varbit"] = "10101010",
            ["c_tsvector"] = "a:1A fat:2 'rat''s'", ["c_tsquery"] = "fat & (rat | !cat)", ["c_int4range"] = "[-2147483648,2147483647)",
            ["c_tstzrange"] = "[2024-01-01 00:00:00+00,infinity)", ["c_nummultirange"] = "{[1.5,2.5),(3,4]}",
            ["c_point"] = "(1e300,1.5)", ["c_line"] = "{1,2,3}", ["c_lseg"] = "[(1,2),(3,4)]", ["c_box"] = "(3,4),(1,2)",
            ["c_path"] = "((0,0),(1,1),(2,0))", ["c_polygon"] = "((0,0),(1,1),(2,0))", ["c_circle"] = "<(1,2),3>",
            ["c_pg_lsn"] = "FFFFFFFF/FFFFFFFF", ["c_mood"] = "quote\"d", ["c_positive"] = "2147483647", ["c_price"] = "99999999.99",
            ["c_pair"] = "(2147483647,\"a \"\"b\"\" c\")", ["c_txid_snapshot"] = "10:20:10,14,15",
            ["c_int_array"] = "{2147483647,-2147483648,NULL,0}", ["c_int_matrix"] = "{{1,NULL},{3,4}}",
            ["c_text_array"] = "{\"\",NULL,\"NULL\",\"null\",\"a,b\",\"{x}\",\"q\\\"uote\",\"back\\\\slash\",\" lead\",\"tab\t\",😀,Zoë,\"NULL \"}",
            ["c_text_matrix"] = "{{a,b},{NULL,\"c d\"}}",
            ["c_numeric_array"] = "{1.50,NaN,-9999.99,NULL}",
            ["c_numeric_var_array"] = "{1,-0.0001,NaN,Infinity,-Infinity,123456789012345678901234567890.123456789}",
            ["c_date_array"] = "{infinity,-infinity,\"0044-03-15 BC\",2024-02-29}",
            ["c_timestamptz_array"] = "{\"2024-01-15 10:20:30.123456+00\",infinity,\"0001-01-01 00:00:00+00 BC\"}",
            ["c_bytea_array"] = "{\"\\\\x00ff\",NULL,\"\\\\x\"}", ["c_box_array"] = "{(1,1),(0,0);(3,3),(2,2)}",
            ["c_mood_array"] = "{sad,\"with space\",\"quote\\\"d\",NULL,\"NULL\"}", ["c_bool_array"] = "{t,f,NULL}",
            ["c_double_array"] = "{NaN,Infinity,-Infinity,-0,1e-300,0.1}", ["c_uuid_array"] = "{00000000-0000-0000-0000-000000000001,NULL}",
            ["c_jsonb_array"] = "{\"{\\\"a\\\": 1}\",\"[]\",null}", ["c_char_array"] = "{a,abc,NULL,\"\"}", ["c_positive_array"] = "{1,2,NULL}",
            ["c_money_array"] = "{1000.50,-2}", ["c_interval_array"] = "{\"1 day\",-00:00:01}",
            ["Order \"Id\" €"] = "2147483647", ["order id"] = "NULL",
        },

        // 4: special values, and arrays whose shape does not fit the declared one.
        new()
        {
            ["c_real"] = "NaN", ["c_double"] = "-Infinity", ["c_numeric"] = "NaN", ["c_numeric_10_2"] = "NaN", ["c_numeric_1000"] = "NaN",
            ["c_date"] = "infinity", ["c_timestamp"] = "infinity", ["c_timestamp3"] = "-infinity", ["c_timestamptz"] = "-infinity",
            ["c_timestamptz0"] = "infinity", ["c_time"] = "23:59:59.999999", ["c_timetz"] = "24:00:00+00",
            ["c_int_array"] = "[0:2]={1,2,3}", ["c_int_matrix"] = "{1,2}", ["c_text_array"] = "{{a,b},{c,d}}",
            ["c_text_matrix"] = "[2:3][1:1]={{x},{y}}", ["c_double_array"] = "{{1,2},{3,4}}", ["c_bytea_array"] = "[5:5]={\"\\\\x01\"}",
            ["c_numeric_var_array"] = "{{1.5},{NaN}}",
        },

        // 5: more special values, BC and near-epoch instants.
        new()
        {
            ["c_real"] = "Infinity", ["c_double"] = "NaN", ["c_numeric"] = "-Infinity", ["c_numeric_1000"] = "0",
            ["c_date"] = "-infinity", ["c_timestamp"] = "-infinity", ["c_timestamptz"] = "infinity",
            ["c_date_array"] = "{0001-12-31 BC}", ["c_time3"] = "12:34:56.7",
            ["c_timestamp3"] = "0044-03-15 10:20:30.5 BC", ["c_timestamptz0"] = "1969-12-31 23:59:59+00",
            ["c_timetz"] = "12:34:56.789+05:30", ["c_text"] = "   ", ["c_char"] = "ab cd ", ["c_bytea"] = "\\x00",
            ["c_numeric_10_2"] = "0.01", ["c_int_array"] = "{NULL}", ["c_text_array"] = "{\"NULL\"}", ["c_int_matrix"] = "{{NULL}}",
            ["c_mood"] = "NULL", ["c_mood_array"] = "{NULL,\"NULL\"}",
        },

        // 6: ordinary values, whose datums the test also checks.
        new()
        {
            ["c_smallint"] = "7", ["c_integer"] = "42", ["c_bigint"] = "1234567890123", ["c_oid"] = "12345",
            ["c_real"] = "1.5", ["c_double"] = "0.1", ["c_numeric"] = "-123.4500", ["c_numeric_10_2"] = "12.30",
            ["c_numeric_1000"] = "1.5", ["c_numeric_neg"] = "12345", ["c_money"] = "1234.5", ["c_boolean"] = "t",
            ["c_text"] = "hello", ["c_varchar"] = "world", ["c_char"] = "ab", ["c_bytea"] = "\\xdeadbeef",
            ["c_date"] = "2024-02-29", ["c_time"] = "12:34:56.5", ["c_timestamp"] = "2024-01-15 10:20:30.123456",
            ["c_timestamptz"] = "2024-01-15 12:20:30.123456+02", ["c_uuid"] = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            ["c_interval"] = "1 day 02:03:04.5", ["c_mood"] = "happy", ["c_positive"] = "5", ["c_price"] = "9.99",
            ["c_int_array"] = "{1,2,3}", ["c_int_matrix"] = "{{1,2},{3,4}}", ["c_box_array"] = "{(1,1),(0,0)}",
            ["Order \"Id\" €"] = "1",
        },

        // 7: instants at the edge of 64-bit microseconds since 1970 (the first one is the value standing for infinity),
        // and the ends of the common date range of Avro readers (years 1 and 9999).
        new()
        {
            ["c_timestamp"] = "294247-01-10 04:00:54.775807", ["c_timestamptz"] = "294247-01-10 04:00:54.775808+00",
            ["c_timestamp3"] = "9999-12-31 23:59:59.999", ["c_timestamptz0"] = "0001-01-01 00:00:00+00", ["c_date"] = "9999-12-31",
            ["c_time3"] = "24:00:00", ["c_date_array"] = "{0001-01-01,10000-01-01}",
            ["c_timestamptz_array"] = "{\"294276-12-31 23:59:59.999999+00\",\"9999-12-31 23:59:59.999999+00\"}",
        },
    ];
}
