using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// The shapes bound to the tables of one task's <see cref="DestinationSession"/>. A <see cref="BoundTable"/> owns the
/// SQL built for its table, including the temporary staging table created on the session's connection, so all are
/// dropped whenever the session forgets its tables (<see cref="DestinationSession.Generation"/>). Task thread only.
/// </summary>
internal sealed class BoundTables
{
    readonly Dictionary<(RecordShape Shape, DestinationTable Table), BoundTable> _bound = [];
    readonly SoftDeleteColumns? _softDelete;
    int _generation;

    /// <summary>Creates the tables' cache; with <paramref name="softDelete"/>, every table is bound with those columns.</summary>
    public BoundTables(SoftDeleteColumns? softDelete = null) => _softDelete = softDelete;

    /// <summary><paramref name="shape"/> bound to <paramref name="table"/> (which has every column of the shape), made once per session generation.</summary>
    public BoundTable For(DestinationSession session, RecordShape shape, DestinationTable table)
    {
        if (_generation != session.Generation)
        {
            _bound.Clear();
            _generation = session.Generation;
        }
        if (!_bound.TryGetValue((shape, table), out var bound)) _bound[(shape, table)] = bound = new BoundTable(shape, table, _softDelete);
        return bound;
    }
}
