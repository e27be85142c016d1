using System.Diagnostics;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;

// The one hand-written Avro decoder left, the sink's fast path (a row's Avro body straight to PostgreSQL text input,
// PgTextRowDecoder), against what it stands in for: Apache.Avro's GenericDatumReader and the column encoders. Also
// Apache.Avro's writer on the same row, the source's per-row cost. A typical 10-column change-event row: bigint key,
// int, text, double, boolean, nullable text and int, numeric(12,2), timestamptz, nullable bigint.
//   dotnet run -c Release --project bench/AvroBench
var columns = new (string Name, string TypeName, string Formatted, uint Oid, int Modifier)[]
{
    ("id", "int8", "bigint", 20, -1), ("quantity", "int4", "integer", 23, -1), ("customer", "text", "text", 25, -1),
    ("weight", "float8", "double precision", 701, -1), ("paid", "bool", "boolean", 16, -1), ("note", "text", "text", 25, -1),
    ("discount", "int4", "integer", 23, -1), ("amount", "numeric", "numeric(12,2)", 1700, (12 << 16) + 2 + 4),
    ("created", "timestamptz", "timestamp with time zone", 1184, -1), ("category", "int8", "bigint", 20, -1),
};
var table = PgTableSchema.Build("bench", "public", "orders",
[
    .. columns.Select((c, i) => new PgColumn(c.Name, i + 1, new PgColumnType
    {
        Oid = c.Oid, TypeModifier = c.Modifier, BaseTypeOid = c.Oid, BaseTypeName = c.TypeName, BaseTypeSchema = "pg_catalog",
        Kind = PgTypeKind.Base, BaseTypeModifier = c.Modifier, FormattedType = c.Formatted,
    }, IsNotNull: i < 5, KeyPosition: i == 0 ? 1 : null)),
]);
var row = table.DecodeValue(["1234567890", "3", "Jane Doe <jane@example.com>", "12.75", "t", "leave at the door", null, "1499.90",
    "2024-05-06 07:08:09.123456+00", "42"]);

var writer = new AvroGenericWriter(table.Value);
var body = writer.Serialize(row);
var fast = PgTextRowDecoder.For(table.Value);
var reader = new AvroGenericReader(table.Value);
var encoders = table.Value.Fields.Select(f => PgColumnDefinition.FromField(f).Encoder).ToArray();
var texts = new string?[encoders.Length];

Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, body {body.Length} bytes");
Measure("encode: Apache.Avro writer", () => writer.Serialize(row));
Measure("row to text: fast path", () =>
{
    var avro = new AvroBinaryReader(body);
    fast.Read(ref avro);
});
Measure("row to text: Apache.Avro + encoders", () =>
{
    var record = (GenericRecord)reader.Read(body)!;
    for (var i = 0; i < encoders.Length; i++) texts[i] = encoders[i].Encode(record.GetValue(i));
});
var keyWriter = new AvroGenericWriter(table.Key!);
var keyBody = keyWriter.Serialize(table.KeyOf(row));
var keyReader = new AvroGenericReader(table.Key!);
Measure("key: Apache.Avro reader", () => keyReader.Read(keyBody));

static void Measure(string name, Action action)
{
    // Warm up so that tiered compilation has produced optimised code.
    var warmup = Stopwatch.StartNew();
    while (warmup.ElapsedMilliseconds < 1500)
    {
        for (var i = 0; i < 1000; i++) action();
    }

    var best = double.MaxValue;
    long allocated = 0;
    const int Iterations = 500_000;
    for (var run = 0; run < 5; run++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++) action();
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        best = Math.Min(best, clock.Elapsed.TotalNanoseconds / Iterations);
    }

    Console.WriteLine($"{name,-38} {1e9 / best,12:N0} rows/s {best,8:N1} ns/row {(double)allocated / Iterations,7:N1} B/row (best of 5 x {Iterations:N0})");
}
