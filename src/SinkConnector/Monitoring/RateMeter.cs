namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>Events per second over a sliding window of one-second buckets (rows/s in <c>/status</c>). Thread-safe.</summary>
public sealed class RateMeter
{
    readonly long[] _buckets;
    readonly long[] _seconds;
    readonly TimeProvider _time;
    readonly object _lock = new();

    /// <summary>A meter over the last <paramref name="windowSeconds"/> seconds.</summary>
    public RateMeter(int windowSeconds = 10, TimeProvider? time = null)
    {
        _buckets = new long[windowSeconds];
        _seconds = new long[windowSeconds];
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Counts <paramref name="count"/> events now.</summary>
    public void Add(long count)
    {
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        var slot = (int)(second % _buckets.Length);
        lock (_lock)
        {
            if (_seconds[slot] != second)
            {
                _seconds[slot] = second;
                _buckets[slot] = 0;
            }
            _buckets[slot] += count;
        }
    }

    /// <summary>The average rate over the window's completed seconds and the current one.</summary>
    public double PerSecond()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        long total = 0;
        lock (_lock)
        {
            for (var i = 0; i < _buckets.Length; i++)
            {
                if (now - _seconds[i] < _buckets.Length) total += _buckets[i];
            }
        }
        return total / (double)_buckets.Length;
    }
}
