using System.Globalization;

namespace Pulse.GitHubSimulator.Http;

/// <summary>Faults the host injects by rate. The names in <see cref="FaultKinds"/> are those of options and CLI.</summary>
public enum FaultKind
{
    BadGateway502,
    GatewayTimeout504,
    ConnectionReset,
    Slow,
    Truncated,
    Partial,
    NotFound,
    Secondary,
}

public static class FaultKinds
{
    private static readonly (string Name, FaultKind Kind)[] All =
    [
        ("502", FaultKind.BadGateway502), ("504", FaultKind.GatewayTimeout504), ("reset", FaultKind.ConnectionReset),
        ("slow", FaultKind.Slow), ("truncated", FaultKind.Truncated), ("partial", FaultKind.Partial),
        ("notfound", FaultKind.NotFound), ("secondary", FaultKind.Secondary),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static string Name(FaultKind kind) => All.First(a => a.Kind == kind).Name;

    public static FaultKind Parse(string name)
    {
        foreach (var (n, kind) in All)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)) return kind;
        throw new ArgumentException($"Unknown fault kind '{name}'; expected one of {string.Join(", ", Names)}.");
    }

    /// <summary>Parses "502=0.05,reset=0.01" into rates.</summary>
    public static IReadOnlyDictionary<FaultKind, double> ParseRates(string text)
    {
        var rates = new Dictionary<FaultKind, double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
                throw new ArgumentException($"Fault '{part}' must be KIND=RATE, e.g. 502=0.05.");
            var kind = Parse(pair[0]);
            if (!double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
                throw new ArgumentException($"Fault rate '{pair[1]}' of '{pair[0]}' must be a number in [0, 1].");
            rates[kind] = rate;
        }
        return rates;
    }
}
