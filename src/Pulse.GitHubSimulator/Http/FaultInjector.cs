namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// Draws the fault of each request from one seeded <see cref="Random"/>: one draw per request
/// against the cumulative rates in a fixed kind order, so the same seed and the same request
/// sequence give the same faults.
/// </summary>
internal sealed class FaultInjector(SimulatorOptions options)
{
    private readonly Lock _lock = new();
    private Random _random = new(options.Seed);
    private readonly (FaultKind Kind, double Rate)[] _rates =
        [.. options.Faults.Where(f => f.Value > 0).OrderBy(f => f.Key).Select(f => (f.Key, f.Value))];

    /// <summary>The fault of the next request, or null for none.</summary>
    public FaultKind? Next()
    {
        if (_rates.Length == 0) return null;
        double draw;
        lock (_lock) draw = _random.NextDouble();
        var cumulative = 0.0;
        foreach (var (kind, rate) in _rates)
        {
            cumulative += rate;
            if (draw < cumulative) return kind;
        }
        return null;
    }

    /// <summary>A seeded number for choices inside a fault (502 or 504, where to cut a body).</summary>
    public int NextInt(int maxExclusive)
    {
        lock (_lock) return _random.Next(maxExclusive);
    }

    public void Reset()
    {
        lock (_lock) _random = new Random(options.Seed);
    }
}
