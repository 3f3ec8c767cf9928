namespace Pulse.Core.Extract;

/// <summary>
/// How many items one query may ask GitHub to load. GitHub times out past 10 s and charges the
/// points anyway, so the limit halves on a timeout and grows back slowly after successes.
/// Shared by the extraction workers of one process.
/// </summary>
public sealed class AdaptiveLoad(ExtractOptions options)
{
    private readonly Lock _gate = new();
    private long _maxItems = options.InitialItemsPerQuery;

    public long MaxItems { get { lock (_gate) return _maxItems; } }

    public void TimedOut()
    {
        lock (_gate) _maxItems = Math.Max(options.MinItemsPerQuery, _maxItems / 2);
    }

    public void Succeeded()
    {
        lock (_gate) _maxItems = Math.Min(options.MaxItemsPerQuery, _maxItems + Math.Max(1, _maxItems / 8));
    }
}
