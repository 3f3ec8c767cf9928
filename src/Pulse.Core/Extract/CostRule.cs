namespace Pulse.Core.Extract;

/// <summary>GitHub's documented cost rule: round(requests / 100), half up, at least one point.</summary>
public static class CostRule
{
    /// <summary>Requests per query at which the next point starts (150 requests cost 2 points).</summary>
    public const int RequestsPerPoint = 100;

    /// <summary>The most requests one point buys: round(149 / 100) = 1.</summary>
    public const int MaxRequestsForOnePoint = 149;

    public const long MaxPossibleNodes = 500_000;

    public static int Points(long requests) =>
        (int)Math.Max(1, Math.Floor((requests + RequestsPerPoint / 2.0) / RequestsPerPoint));
}
