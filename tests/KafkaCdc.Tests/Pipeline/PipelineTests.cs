using System.Security.Cryptography;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.Shared.Postgres.Integration;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// The whole product: the source connector streams a real PostgreSQL table through Kafka and the schema registry,
/// the sink connector writes it into another database (as the non-superuser of the seed's privilege script), and the
/// destination ends up equal to the source, compared as <c>row::text</c>, after every kind of change.
/// </summary>
public class PipelineTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task EveryTypeAndOperation_SourceThroughKafkaToSink_DestinationEqualsSource()
    {
        await using var source = await SourceTestDatabase.CreateAsync("pipeline", TypeRoundTripRows.Setup);
        var destination = await SinkDestination.CreateAsync("pipeline_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        foreach (var insert in TypeRoundTripRows.Inserts) await source.ExecuteAsync(insert);
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));

        await UntilEqualAsync(source, destination, topic, "the inserted rows of every type", connector, sink);

        // Updates of every kind under REPLICA IDENTITY DEFAULT: plain, to NULL, a key change followed by a re-insert of
        // the old key, and one that leaves a large TOASTed value unchanged (the sink keeps it, never the placeholder).
        var large = Convert.ToHexString(RandomNumberGenerator.GetBytes(8_000));
        await source.ExecuteAsync($"""
            INSERT INTO source_rows (id, c_text, c_integer) VALUES (100, '{large}', 1);
            UPDATE source_rows SET c_integer = 2 WHERE id = 100;
            UPDATE source_rows SET c_text = 'changed', c_jsonb = '{"{"}"k": [1, 2]{"}"}', c_int_array = '{"{"}7,NULL,9{"}"}' WHERE id = 1;
            UPDATE source_rows SET c_varchar = NULL, c_numeric = 'NaN' WHERE id = 2;
            INSERT INTO source_rows (id, c_text) VALUES (300, 'small');
            UPDATE source_rows SET id = 301 WHERE id = 300;
            INSERT INTO source_rows (id, c_text) VALUES (300, 'the old key, again');
            DELETE FROM source_rows WHERE id = 4;
            """);
        await UntilEqualAsync(source, destination, topic, "updates, a key change, a delete and an unchanged TOASTed value", connector, sink);
        Assert.That(await destination.ScalarAsync($"SELECT length(c_text) FROM {PgIdentifier.Quote(destination.Schema, topic)} WHERE id = 100"),
            Is.EqualTo(large.Length), "the TOASTed value survived the update that did not touch it");

        // A key change of the row whose large values PostgreSQL stores out of line: with REPLICA IDENTITY FULL the old row
        // carries them, so the create under the new key is complete.
        await source.ExecuteAsync("""
            ALTER TABLE source_rows REPLICA IDENTITY FULL;
            UPDATE source_rows SET id = 200 WHERE id = 3;
            INSERT INTO source_rows (id, c_text) VALUES (3, 'the old key, again');
            """);
        await UntilEqualAsync(source, destination, topic, "a key change of a row with TOASTed values under REPLICA IDENTITY FULL", connector, sink);

        await source.ExecuteAsync("TRUNCATE source_rows; INSERT INTO source_rows (id, c_text) VALUES (7, 'after the truncate')");
        await UntilEqualAsync(source, destination, topic, "the truncate and the row inserted after it", connector, sink);
    }

    [Test]
    public async Task AddColumnWithConstantDefault_RowsNotSentAgain_ReadTheDefaultAtTheDestinationToo()
    {
        await using var source = await SourceTestDatabase.CreateAsync("pipeline_default", "CREATE TABLE source_rows (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("pipeline_default_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i FROM generate_series(1, 200) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        // PostgreSQL gives the rows that exist a constant default without writing them to the WAL: only the rows changed
        // afterwards arrive with the new columns, so the destination must give the others the same defaults.
        await source.ExecuteAsync("""
            ALTER TABLE source_rows ADD COLUMN priority integer DEFAULT 3,
                ADD COLUMN label text NOT NULL DEFAULT 'it''s new',
                ADD COLUMN price numeric(8,2) DEFAULT -1.5,
                ADD COLUMN since date DEFAULT '2020-01-01',
                ADD COLUMN tags integer[] DEFAULT '{1,2}',
                ADD COLUMN flag boolean DEFAULT false;
            UPDATE source_rows SET v = 'touched', priority = 1 WHERE id <= 10;
            INSERT INTO source_rows (id, v) VALUES (201, 'after the change');
            """);
        await UntilEqualAsync(source, destination, topic, "ADD COLUMN … DEFAULT with constants", connector, sink);
        Assert.That(await destination.ScalarAsync($"SELECT count(*) FROM {PgIdentifier.Quote(destination.Schema, topic)} WHERE id BETWEEN 11 AND 200 AND priority = 3 AND label = 'it''s new'"),
            Is.EqualTo(190L), "the 190 rows not sent again read the defaults");
    }

    static Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string table, string what,
        InProcessConnector connector, InProcessSink sink) =>
        PipelineCompare.UntilEqualAsync(source, "source_rows", destination, table, what, connector, sink, s_timeout);
}
