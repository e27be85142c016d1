using System.Buffers;
using System.Diagnostics;
using KafkaCdc.Shared.Avro;

// Encode and decode throughput of a typical change-event row: ten fields covering int, long, string, double,
// boolean, nullable unions, a decimal and a timestamp. Run with: dotnet run -c Release --project bench/AvroBench
var schema = new RecordSchema("Value", "kafkacdc.bench.public.orders",
[
    new AvroField("id", AvroSchema.Long),
    new AvroField("quantity", AvroSchema.Int),
    new AvroField("customer", AvroSchema.String),
    new AvroField("weight", AvroSchema.Double),
    new AvroField("paid", AvroSchema.Boolean),
    new AvroField("note", AvroSchema.Nullable(AvroSchema.String)).WithDefault(null),
    new AvroField("discount", AvroSchema.Nullable(AvroSchema.Int)).WithDefault(null),
    new AvroField("amount", AvroSchema.Decimal(12, 2)),
    new AvroField("created", AvroSchema.TimestampMicros),
    new AvroField("category", AvroSchema.Nullable(AvroSchema.Long)).WithDefault(null),
]);

var record = new GenericRecord(schema,
[
    1234567890L, 3, "Jane Doe <jane@example.com>", 12.75, true, "leave at the door", null,
    AvroDecimal.Parse("1499.90"), 1714979289123456L, 42L,
]);

var writer = new AvroDatumWriter(schema);
var reader = new AvroDatumReader(schema);
var output = new ArrayBufferWriter<byte>(256);
var body = writer.Serialize(record);

Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, body {body.Length} bytes");
Measure("encode (AvroDecimal)", () =>
{
    output.ResetWrittenCount();
    writer.Write(record, output);
});

var clrDecimalRecord = new GenericRecord(schema, [.. Enumerable.Range(0, schema.Fields.Count).Select(i => record[i])]);
clrDecimalRecord["amount"] = 1499.90m;
Measure("encode (System.Decimal)", () =>
{
    output.ResetWrittenCount();
    writer.Write(clrDecimalRecord, output);
});

Measure("decode", () => reader.Read(body));

static void Measure(string name, Action action)
{
    // Warm up so that tiered compilation has produced optimised code.
    var warmup = Stopwatch.StartNew();
    while (warmup.ElapsedMilliseconds < 1500)
    {
        for (var i = 0; i < 1000; i++)
        {
            action();
        }
    }

    var best = double.MaxValue;
    long allocated = 0;
    const int Iterations = 1_000_000;
    for (var run = 0; run < 5; run++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            action();
        }

        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        best = Math.Min(best, clock.Elapsed.TotalNanoseconds / Iterations);
    }

    Console.WriteLine($"{name,-26} {1e9 / best,12:N0} records/s {best,8:N1} ns/record {(double)allocated / Iterations,7:N1} B/record (best of 5 x {Iterations:N0})");
}
