namespace Pulse.GitHubSimulator.Http;

/// <summary>How the simulator host behaves: port, tokens, limits, pacing and faults. Every value is typed and in units.</summary>
public sealed record SimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Data set file (DATASET.md format, optionally gzip) served by <c>StartAsync(options)</c>; null uses <see cref="Synthetic"/>.</summary>
    public string? DatasetPath { get; init; }

    /// <summary>Synthetic data served when <see cref="DatasetPath"/> is null. Default: repos=3,prs=50,seed=1.</summary>
    public Synthetic.SyntheticSpec Synthetic { get; init; } = new();

    /// <summary>
    /// Accepted tokens as "USER:TOKEN" (tokens of one user share its budgets) or a bare "TOKEN" (its own user).
    /// Default: one token, "sim-token".
    /// </summary>
    public IReadOnlyList<string> Tokens { get; init; } = ["sim-token"];

    /// <summary>
    /// Primary limit: points per rate window per user. Default 5,000 (GitHub's for users). Below it, App installations' budgets
    /// scale by the same factor (see <see cref="SimulatedApp.PointsPerHour"/>).
    /// </summary>
    public int PointsPerHour { get; init; } = 5_000;

    /// <summary>Length of the primary-limit window, from a token's first request. Default 1 hour; tests use seconds.</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Secondary limit: requests in flight per user (all its tokens). Default 100.</summary>
    public int MaxConcurrentRequestsPerToken { get; init; } = 100;

    /// <summary>Secondary limit: requests per minute per user. Default 2,000.</summary>
    public int RequestsPerMinutePerToken { get; init; } = 2_000;

    /// <summary>Secondary limit: real processing time a user may use per <see cref="CpuWindow"/>. Default 60 s.</summary>
    public TimeSpan CpuBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The sliding window of the CPU budget and of the per-minute count. Default 60 s.</summary>
    public TimeSpan CpuWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Real sleep = simulated processing × this. Default 1.0 (CLI); tests use 0 or small values.</summary>
    public double ProcessingTimeScale { get; init; } = 1.0;

    /// <summary>
    /// How much slower than calibrated GitHub is: every simulated duration is multiplied by it, so more queries
    /// reach the resource budget and the timeout (2 and 4 measure robustness). Default 1 (calibrated).
    /// </summary>
    public double TimingScale { get; init; } = 1.0;

    /// <summary>GitHub's limit on processing one request; over it the answer is GitHub's 502. Default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Simulated processing after which GitHub starts no further root field and answers HTTP 200 with what it has and
    /// RESOURCE_LIMITS_EXCEEDED; null for none. Default 8 s (see README, "The simulator's calibration").
    /// </summary>
    public TimeSpan? ResourceBudget { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Points deducted from the primary budget for a timeout, on top of the query's own ("additional points will be
    /// deducted from your primary rate limit"; GitHub gives no number). Default 10: one per second of the 10-second limit.
    /// </summary>
    public int TimeoutPenaltyPoints { get; init; } = 10;

    /// <summary>Real delay added to every answered request. Default zero.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Real delay of the "slow" fault. Default 3 s.</summary>
    public TimeSpan SlowAnswerDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Fault rates in [0, 1] per request; their sum may not exceed 1. Default none.</summary>
    public IReadOnlyDictionary<FaultKind, double> Faults { get; init; } = new Dictionary<FaultKind, double>();

    /// <summary>Seed of the fault draws: the same seed and request sequence give the same faults. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The login served as <c>viewer</c>. Default "sim-user".</summary>
    public string ViewerLogin { get; init; } = "sim-user";

    /// <summary>GitHub Apps and their installations, whose tokens the simulator issues at POST /app/installations/{id}/access_tokens. Default none.</summary>
    public IReadOnlyList<SimulatedApp> Apps { get; init; } = [];

    /// <summary>How long an installation token is accepted, on <see cref="TimeProvider"/>'s clock. Default 1 hour (GitHub's); tests shorten it.</summary>
    public TimeSpan InstallationTokenTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// GitHub Enterprise Server with rate limiting off: served at /api/graphql and /api/v3, no x-ratelimit-* headers,
    /// <c>rateLimit</c> null, no primary or secondary limit. Default false (github.com).
    /// </summary>
    public bool EnterpriseServer { get; init; }

    /// <summary>Where every data mutation sends GitHub's webhook deliveries (signed with <see cref="WebhookSecret"/>); null sends none.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The hook's secret: each delivery carries X-Hub-Signature-256 under it. Required with <see cref="WebhookUrl"/>.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>The share of deliveries lost (never sent; redeliverable by id), in [0, 1]. Default 0.</summary>
    public double WebhookDropRate { get; init; }

    /// <summary>The clock of every window and wait. Default the system clock; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, $"Port must be 0..65535, got {Port}.");
        Require(DatasetPath is null || File.Exists(DatasetPath), $"Data set file '{DatasetPath}' does not exist.");
        Require(Tokens.Count > 0, "At least one token is required.");
        foreach (var entry in Tokens) TokenGrant.Parse(entry);
        Require(PointsPerHour > 0, $"PointsPerHour must be positive, got {PointsPerHour}.");
        Require(RateWindow > TimeSpan.Zero, $"RateWindow must be positive, got {RateWindow}.");
        Require(MaxConcurrentRequestsPerToken > 0, $"MaxConcurrentRequestsPerToken must be positive, got {MaxConcurrentRequestsPerToken}.");
        Require(RequestsPerMinutePerToken > 0, $"RequestsPerMinutePerToken must be positive, got {RequestsPerMinutePerToken}.");
        Require(CpuBudget > TimeSpan.Zero, $"CpuBudget must be positive, got {CpuBudget}.");
        Require(CpuWindow > TimeSpan.Zero, $"CpuWindow must be positive, got {CpuWindow}.");
        Require(ProcessingTimeScale >= 0 && double.IsFinite(ProcessingTimeScale), $"ProcessingTimeScale must be a finite number >= 0, got {ProcessingTimeScale}.");
        Require(TimingScale > 0 && double.IsFinite(TimingScale), $"TimingScale must be a finite number > 0, got {TimingScale}.");
        Require(Timeout > TimeSpan.Zero, $"Timeout must be positive, got {Timeout}.");
        Require(ResourceBudget is null || ResourceBudget > TimeSpan.Zero, $"ResourceBudget must be positive, got {ResourceBudget}.");
        Require(TimeoutPenaltyPoints >= 0, $"TimeoutPenaltyPoints must not be negative, got {TimeoutPenaltyPoints}.");
        Require(Latency >= TimeSpan.Zero, $"Latency must not be negative, got {Latency}.");
        Require(SlowAnswerDelay >= TimeSpan.Zero, $"SlowAnswerDelay must not be negative, got {SlowAnswerDelay}.");
        foreach (var (kind, rate) in Faults)
            Require(rate is >= 0 and <= 1, $"Fault rate of '{FaultKinds.Name(kind)}' must be in [0, 1], got {rate}.");
        Require(Faults.Values.Sum() <= 1.0 + 1e-9, $"Fault rates must add up to at most 1, got {Faults.Values.Sum()}.");
        Require(!string.IsNullOrEmpty(ViewerLogin), "ViewerLogin must not be empty.");
        Require(InstallationTokenTtl > TimeSpan.Zero, $"InstallationTokenTtl must be positive, got {InstallationTokenTtl}.");
        Require(Apps.Select(a => a.InstallationId).Distinct().Count() == Apps.Count, "Each installation id may be given once.");
        foreach (var app in Apps) app.Validate();
        Require(WebhookUrl is null || (WebhookUrl.IsAbsoluteUri && WebhookUrl.Scheme is "http" or "https"), $"WebhookUrl must be an absolute http(s) URL, got {WebhookUrl}.");
        Require(WebhookUrl is null || !string.IsNullOrEmpty(WebhookSecret), "A webhook URL needs a webhook secret (GitHub signs every delivery).");
        Require(WebhookDropRate is >= 0 and <= 1, $"WebhookDropRate must be in [0, 1], got {WebhookDropRate}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
