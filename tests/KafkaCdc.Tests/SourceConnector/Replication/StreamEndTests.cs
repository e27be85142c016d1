using KafkaCdc.SourceConnector.Replication;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>
/// The server's end of the replication stream at shutdown, as Npgsql reports it (npgsql/npgsql#5752), is recognised as
/// such (a reconnect), and nothing else is. End to end: <c>PostgresRestartPipelineTests</c> (fast shutdown of the source's server).
/// </summary>
public class StreamEndTests
{
    [Test]
    public void IsEndedByServer_NpgsqlsReportOfCommandCompleteInTheStream_IsTrue() =>
        Assert.That(ChangeStreamReader.IsEndedByServer(
            new NpgsqlException("Received backend message CommandComplete while expecting CopyDataMessage. Please file a bug.")), Is.True);

    [Test]
    public void IsEndedByServer_OtherProtocolErrorsAndServerErrors_AreFalse()
    {
        Assert.That(ChangeStreamReader.IsEndedByServer(new NpgsqlException("Received backend message DataRow while expecting CopyDataMessage. Please file a bug.")), Is.False);
        Assert.That(ChangeStreamReader.IsEndedByServer(new PostgresException("CommandComplete while expecting CopyData", "FATAL", "FATAL", "57P01")), Is.False);
    }
}
