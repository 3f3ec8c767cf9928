using System.Globalization;

namespace Pulse.GitHubSimulator.Synthetic;

/// <summary>How much heavy tail the generator puts in: none, each tail once (normal), or tails at realistic rates on top (heavy).</summary>
public enum TailProfile { None, Normal, Heavy }

/// <summary>
/// What the synthetic generator makes, parsed from "repos=20,prs=500,seed=7[,tails=heavy][,commits_max=300][,big_body=false][,extreme=5]".
/// <see cref="PullRequests"/> is the total over all repositories.
/// </summary>
public sealed record SyntheticSpec
{
    /// <summary>Repositories (default 3).</summary>
    public int Repositories { get; init; } = 3;

    /// <summary>Pull requests over all repositories (default 50); repositories get a skewed share, as in real organisations.</summary>
    public int PullRequests { get; init; } = 50;

    /// <summary>Seed: the same spec writes the same bytes (default 1).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Heavy-tail profile (default normal: every tail at least once).</summary>
    public TailProfile Tails { get; init; } = TailProfile.Normal;

    /// <summary>Most commits in one pull request (default 300, enough for the >250 tail).</summary>
    public int CommitsMax { get; init; } = 300;

    /// <summary>Whether one pull request gets a ~1 MB body (default true).</summary>
    public bool BigBody { get; init; } = true;

    /// <summary>
    /// Extra pull requests of the extreme shape large organisations show (300 commits, capped by
    /// <see cref="CommitsMax"/>; 500 issue comments; 80 review threads), on top of the tails (default 0).
    /// </summary>
    public int Extreme { get; init; }

    private static readonly string[] Keys = ["repos", "prs", "seed", "tails", "commits_max", "big_body", "extreme"];

    public static SyntheticSpec Parse(string text)
    {
        var spec = new SyntheticSpec();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2) throw new ArgumentException($"Synthetic setting '{part}' must be KEY=VALUE (keys: {string.Join(", ", Keys)}).");
            var (key, value) = (pair[0].ToLowerInvariant(), pair[1]);
            spec = key switch
            {
                "repos" => spec with { Repositories = Int(key, value, 1, 100_000) },
                "prs" => spec with { PullRequests = Int(key, value, 0, 10_000_000) },
                "seed" => spec with { Seed = Int(key, value, int.MinValue, int.MaxValue) },
                "tails" => spec with { Tails = Enum.TryParse<TailProfile>(value, ignoreCase: true, out var t) && !int.TryParse(value, out _) ? t
                    : throw new ArgumentException($"Synthetic setting tails={value}: expected none, normal or heavy.") },
                "commits_max" => spec with { CommitsMax = Int(key, value, 1, 10_000) },
                "extreme" => spec with { Extreme = Int(key, value, 0, 10_000) },
                "big_body" => spec with { BigBody = bool.TryParse(value, out var b) ? b
                    : throw new ArgumentException($"Synthetic setting big_body={value}: expected true or false.") },
                _ => throw new ArgumentException($"Unknown synthetic setting '{pair[0]}'; known: {string.Join(", ", Keys)}."),
            };
        }
        return spec;
    }

    public override string ToString() =>
        $"repos={Repositories},prs={PullRequests},seed={Seed},tails={Tails.ToString().ToLowerInvariant()},commits_max={CommitsMax},big_body={BigBody.ToString().ToLowerInvariant()}"
        + (Extreme > 0 ? $",extreme={Extreme}" : "");

    private static int Int(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
            : throw new ArgumentException($"Synthetic setting {key}={value}: expected a whole number in {min}..{max}.");
}
