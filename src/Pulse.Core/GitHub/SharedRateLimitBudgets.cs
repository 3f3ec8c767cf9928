namespace Pulse.Core.GitHub;

/// <summary>Distributed mode: one budget per token (by its hash) shared by every process. Not registered: each process keeps its own.</summary>
public sealed record SharedRateLimitBudgets(Func<string, IRateLimitBudget> ForToken);
