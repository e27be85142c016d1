using Avro.Generic;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.Tests.Shared.AvroFormat;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Decoding;

public class ChangeRecordDecoderTests
{
    string _source = "";
    Confluent.SchemaRegistry.CachedSchemaRegistryClient _registry = null!;

    [OneTimeSetUp]
    public async Task CreateSourceAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("decoder_src");
        _registry = SchemaRegistryClientOptions.ForUrl(TestEnvironment.RequireSchemaRegistryUrl()).CreateClient();
    }

    [OneTimeTearDown]
    public void DisposeRegistry() => _registry.Dispose();

    ChangeRecordDecoder Decoder(string format = "${topic}") => new(new AvroDeserializer(_registry), TableNameFormat.Parse(format, out _)!);

    static ConsumeResult<byte[]?, byte[]?> Consumed(string topic, long offset, ChangeMessage message) => new()
    {
        Topic = topic,
        Partition = 2,
        Offset = offset,
        Message = new Message<byte[]?, byte[]?> { Key = message.Key, Value = message.Value, Headers = message.Headers() },
    };

    [Test]
    public async Task Envelope_GivesOpKeyImagesLsnAndTable()
    {
        var name = TestEnvironment.UniqueName("Decoded");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE \"{name}\" (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO \"{name}\" VALUES (1, 'a')");
        var topic = TestEnvironment.UniqueName("decoded");
        using var events = new ChangeEvents(topic);
        var row = await table.RowAsync("id = 1");
        var decoder = Decoder("${source.schema}.${source.table}");

        var update = await decoder.DecodeAsync(Consumed(topic, 5, await events.UpdateAsync(table, table.KeyOnly(row), row, lsn: 123456)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((update.Action, update.SourceOp, update.Offset, update.Partition), Is.EqualTo((RecordAction.Upsert, 'u', 5L, 2)));
            Assert.That(((GenericRecord)update.Key!)["id"], Is.EqualTo(1));
            Assert.That(update.After!["v"], Is.EqualTo("a"));
            Assert.That(update.Before!["v"], Is.Null);
            Assert.That(update.Lsn, Is.EqualTo(123456));
            Assert.That(update.Table, Is.EqualTo($"public.{name}"));
            Assert.That(Datums.Property(update.RowSchema!["v"], PgColumnProperties.Type), Is.EqualTo("text"),
                "column properties survive the registry");
        });
    }

    [Test]
    public async Task SnapshotMarkAndPosition_AreReadOnTheGenericAndTextPaths_AndOnTombstones()
    {
        var name = TestEnvironment.UniqueName("marked");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var row = await table.RowAsync("id = 1");
        var mark = new SnapshotMark(42, 0x1_0000_0010, 3, SnapshotMarkKind.HeldChange);
        var position = new SourcePosition(42, 0x1_0000_0020, 4);
        var insert = await events.InsertAsync(table, row) with { Snapshot = mark, Position = position };
        var decoder = Decoder();

        var generic = await decoder.DecodeAsync(Consumed(name, 0, insert), CancellationToken.None);
        var text = await decoder.DecodeAsync(Consumed(name, 1, insert), CancellationToken.None);
        var tombstone = await decoder.DecodeAsync(Consumed(name, 2, await events.TombstoneAsync(table, row) with { Snapshot = mark }), CancellationToken.None);
        var plain = await decoder.DecodeAsync(Consumed(name, 3, insert with { Snapshot = null, Position = null }), CancellationToken.None);

        Assert.That(text.AfterText, Is.Not.Null, "the second record took the text path");
        Assert.That(new[] { generic.SnapshotMark, text.SnapshotMark, tombstone.SnapshotMark, plain.SnapshotMark }, Is.EqualTo(new SnapshotMark?[] { mark, mark, mark, null }));
        Assert.That((generic.SourcePosition, text.SourcePosition, plain.SourcePosition), Is.EqualTo(((SourcePosition?)position, (SourcePosition?)position, (SourcePosition?)null)));
    }

    [Test]
    public async Task PositionInTheEnvelope_IsReadOnTheGenericAndTextPaths_AndTakesPrecedenceOverAHeader()
    {
        var name = TestEnvironment.UniqueName("envpos");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var row = await table.RowAsync("id = 1");
        // A system identifier above long.MaxValue travels as the long of the same 64 bits.
        var position = new SourcePosition(0xF000_0000_0000_0042, 0x1_0000_0020, 6);
        events.EnvelopePosition = (0x1_0000_0020, 6, unchecked((long)0xF000_0000_0000_0042));
        var insert = await events.InsertAsync(table, row);
        var delete = await events.DeleteAsync(table, table.KeyOnly(row));
        var decoder = Decoder();

        var generic = await decoder.DecodeAsync(Consumed(name, 0, insert), CancellationToken.None);
        var text = await decoder.DecodeAsync(Consumed(name, 1, insert with { Position = new SourcePosition(1, 2, 3) }), CancellationToken.None);
        var deleted = await decoder.DecodeAsync(Consumed(name, 2, delete), CancellationToken.None);

        Assert.That(text.AfterText, Is.Not.Null, "the second record took the text path");
        Assert.That(new[] { generic.SourcePosition, text.SourcePosition, deleted.SourcePosition }, Has.All.EqualTo(position),
            "the envelope's position, also when a header says otherwise");
        Assert.That(deleted.Action, Is.EqualTo(RecordAction.Delete));
    }

    [Test]
    public async Task APartialPositionInTheEnvelope_FailsTheRecord_NamingTheFields([Values(0, 1)] int path)
    {
        var name = TestEnvironment.UniqueName("partpos");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var row = await table.RowAsync("id = 1");
        var complete = await events.InsertAsync(table, row);
        events.EnvelopePosition = (0x20, null, 42);
        var partial = await events.InsertAsync(table, row);
        var decoder = Decoder();
        // path 1: a record of the schema was decoded before, so the partial one meets the text path first.
        if (path == 1) Assert.That((await decoder.DecodeAsync(Consumed(name, 0, complete), CancellationToken.None)).Action, Is.EqualTo(RecordAction.Upsert));

        var record = await decoder.DecodeAsync(Consumed(name, 1, partial), CancellationToken.None);

        Assert.That(record.Action, Is.EqualTo(RecordAction.Failed));
        Assert.That(record.Failure!.Message, Does.Contain("source.commit_lsn (32), source.event_serial_no (null) and source.system_id (42)")
            .And.Contain("set all three or none"));
    }

    [Test]
    public async Task AMalformedSnapshotMark_FailsTheRecord_NamingItsLength()
    {
        var name = TestEnvironment.UniqueName("badmark");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var insert = await events.InsertAsync(table, await table.RowAsync("id = 1")) with { SnapshotBytes = new byte[22] };

        var record = await Decoder().DecodeAsync(Consumed(name, 0, insert), CancellationToken.None);

        Assert.That(record.Action, Is.EqualTo(RecordAction.Failed));
        Assert.That(record.Failure!.Message, Does.Contain("header kafkacdc.snapshot is 22 bytes, not 21"));
    }

    [Test]
    public async Task LaterRecordsOfASchema_AreReadAsText_AsTheGenericPathReadsThem()
    {
        var name = TestEnvironment.UniqueName("texts");
        var table = await SourceTable.CreateAsync(_source,
            $"CREATE TABLE {name} (id integer PRIMARY KEY, v text, n numeric(10,2), ts timestamptz, d double precision, b boolean)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, E'tab\\there', -12.5, '2024-01-15 10:20:30.5+00', 0.1, true)");
        using var events = new ChangeEvents(name);
        var row = await table.RowAsync("id = 1");
        events.CommitTime = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        var commitMicros = (events.CommitTime.Value - DateTimeOffset.UnixEpoch).Ticks / 10;
        var insert = await events.InsertAsync(table, row, lsn: 77);
        var decoder = Decoder("${source.schema}.${source.table}");

        var generic = await decoder.DecodeAsync(Consumed(name, 0, insert), CancellationToken.None);
        var text = await decoder.DecodeAsync(Consumed(name, 1, insert), CancellationToken.None);
        var update = await decoder.DecodeAsync(Consumed(name, 2, await events.UpdateAsync(table, row, row, lsn: 78)), CancellationToken.None);
        var delete = await decoder.DecodeAsync(Consumed(name, 3, await events.DeleteAsync(table, row, lsn: 79)), CancellationToken.None);
        var truncated = new ChangeMessage(insert.Key, insert.Value![..^1]);
        var corruptFast = await decoder.DecodeAsync(Consumed(name, 4, truncated), CancellationToken.None);
        var corruptGeneric = await Decoder().DecodeAsync(Consumed(name, 4, truncated), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((generic.AfterText, text.After), Is.EqualTo(((object?)null, (object?)null)), "the first record is read generically, the next as text");
            Assert.That((text.Action, text.SourceOp, text.Lsn, text.Table, text.ValueSchemaId, text.RowSchema, text.CommitTime),
                Is.EqualTo((generic.Action, generic.SourceOp, generic.Lsn, generic.Table, generic.ValueSchemaId, generic.RowSchema, generic.CommitTime)));
            Assert.That((generic.CommitTime, delete.CommitTime), Is.EqualTo(((long?)commitMicros, (long?)commitMicros)), "source.ts_us, to the microsecond");
            Assert.That(text.Key, Is.EqualTo(generic.Key));
            foreach (var field in generic.RowSchema!.Fields)
                Assert.That(text.AfterText!.TextOf(field.Pos), Is.EqualTo(PgColumnDefinition.FromField(field).Encoder.Encode(generic.After!.GetValue(field.Pos))), field.Name);
            Assert.That((update.SourceOp, update.Lsn, update.BeforeText!.TextOf(1), update.AfterText!.TextOf(1)), Is.EqualTo(('u', 78L, "tab\there", "tab\there")));
            Assert.That((delete.Action, delete.BeforeText, delete.Before!["id"]), Is.EqualTo((RecordAction.Delete, (object?)null, 1)), "deletes are read generically");
            Assert.That(corruptFast.Action, Is.EqualTo(RecordAction.Failed));
            Assert.That(corruptFast.Failure!.Message, Is.EqualTo(corruptGeneric.Failure!.Message), "a corrupt record fails as on the generic path");
        });
    }

    [Test]
    public async Task Tombstone_IsADeleteOfTheTableTheTopicLastWentTo()
    {
        var name = TestEnvironment.UniqueName("tomb");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1)");
        using var events = new ChangeEvents(name);
        var row = await table.RowAsync("id = 1");
        var tombstone = await events.TombstoneAsync(table, row);

        var fresh = await Decoder("${source.table}").DecodeAsync(Consumed(name, 0, tombstone), CancellationToken.None);
        var decoder = Decoder("${source.table}");
        await decoder.DecodeAsync(Consumed(name, 0, await events.DeleteAsync(table, row)), CancellationToken.None);
        var afterDelete = await decoder.DecodeAsync(Consumed(name, 1, tombstone), CancellationToken.None);

        Assert.That((fresh.Action, fresh.SkipReason), Is.EqualTo((RecordAction.Skip, "tombstone_table_unknown")));
        Assert.That((afterDelete.Action, afterDelete.IsTombstone, afterDelete.Table), Is.EqualTo((RecordAction.Delete, true, name)));
    }

    [Test]
    public async Task UndecodableBytes_AndUnknownSchemaIds_AreFailedRecords_NotExceptions()
    {
        var decoder = Decoder();

        var garbage = await decoder.DecodeAsync(Consumed("t", 0, new ChangeMessage(null, [1, 2, 3])), CancellationToken.None);
        var unknownId = await decoder.DecodeAsync(Consumed("t", 1, new ChangeMessage(null, [0, 0x7f, 0xff, 0xff, 0xf0, 2])), CancellationToken.None);

        Assert.That(garbage.Action, Is.EqualTo(RecordAction.Failed));
        Assert.That(garbage.Failure, Is.InstanceOf<MessageDecodingException>().And.Message.StartsWith("value: The message is not in the Confluent wire format"));
        Assert.That(unknownId.Failure!.Message, Does.Contain("unknown to the schema registry"));
        Assert.That(garbage.RawValue, Is.EqualTo(new byte[] { 1, 2, 3 }), "kept for the dead-letter topic");
    }

    [Test]
    public async Task Heartbeats_AreSkipped_AndUnknownOpsFail()
    {
        var topic = TestEnvironment.UniqueName("beats");
        using var events = new ChangeEvents(topic);
        var heartbeat = await events.SerializeAsync(false, ChangeEventSchemas.HeartbeatValue, AvroSchemas.NewRecord(ChangeEventSchemas.HeartbeatValue, 1L, 2L));
        var name = TestEnvironment.UniqueName("ops");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY)", name);
        var source = AvroSchemas.NewRecord(ChangeEventSchemas.Source, "v", "postgresql", "n", 1L, "false", "db", null, null, "public", name, null, 9L, null, null, null, null);
        using var opEvents = new ChangeEvents(name);
        var odd = await opEvents.SerializeAsync(false, table.Schema.Envelope, AvroSchemas.NewRecord(table.Schema.Envelope, null, null, source, "m", null, null, null));

        var skipped = await Decoder().DecodeAsync(Consumed(topic, 0, new ChangeMessage(null, heartbeat)), CancellationToken.None);
        var failed = await Decoder().DecodeAsync(Consumed(name, 0, new ChangeMessage(null, odd)), CancellationToken.None);

        Assert.That((skipped.Action, skipped.SkipReason), Is.EqualTo((RecordAction.Skip, "heartbeat")));
        Assert.That(failed.Failure!.Message, Is.EqualTo("unknown op 'm' (expected c, u, d, t or r)"));
    }
}
