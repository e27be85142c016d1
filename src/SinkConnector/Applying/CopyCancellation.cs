using Npgsql;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>Ends a COPY that failed half-way, so the failure that stopped it is the one reported.</summary>
internal static class CopyCancellation
{
    /// <summary>Cancels the COPY on <paramref name="stream"/> (an <see cref="NpgsqlRawCopyStream"/>), if the connection still allows it.</summary>
    /// <remarks>
    /// A cancellation that fails too (the connection is gone) is dropped on purpose: the caller rethrows the original
    /// failure, the transaction is rolled back, and the session reconnects before any retry.
    /// </remarks>
    public static void Cancel(Stream stream)
    {
        try
        {
            ((NpgsqlRawCopyStream)stream).Cancel();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            _ = e;
        }
    }
}
