namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// GitHub's secondary limits per account (a user's tokens share them): requests in flight, requests per minute,
/// a budget of processing time per window, and a block after a limit fired for undisclosed reasons. Processing is counted as the host really spends it (simulated ×
/// scale), so a sequential client can never exceed a budget equal to its window, while parallel
/// clients at full speed can.
/// </summary>
internal sealed class SecondaryRateLimit(SimulatorOptions options)
{
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed class AccountState
    {
        public int InFlight;
        public readonly Queue<DateTimeOffset> Requests = new();
        /// <summary>Intervals of real processing; only their overlap with the window counts.</summary>
        public readonly Queue<(DateTimeOffset Start, DateTimeOffset End)> Processing = new();
        /// <summary>Until when every request is refused: a limit that fired says how long it holds.</summary>
        public DateTimeOffset BlockedUntil;
    }

    /// <summary>Admits a request, or returns the seconds GitHub would put in retry-after.</summary>
    public bool TryEnter(Account account, out int retryAfterSeconds)
    {
        lock (_lock)
        {
            var now = options.TimeProvider.GetUtcNow();
            var state = State(account);
            Expire(state, now);
            retryAfterSeconds = 0;
            if (state.BlockedUntil > now)
                retryAfterSeconds = SecondsUntil(state.BlockedUntil, now);
            else if (state.InFlight >= options.MaxConcurrentRequestsPerToken)
                retryAfterSeconds = 60;
            else if (state.Requests.Count >= options.RequestsPerMinutePerToken)
                retryAfterSeconds = SecondsUntil(state.Requests.Peek() + options.CpuWindow, now);
            else if (ProcessingInWindow(state, now) > options.CpuBudget)
                retryAfterSeconds = SecondsUntil(state.Processing.Peek().End + options.CpuWindow, now);
            if (retryAfterSeconds > 0) return false;

            state.InFlight++;
            state.Requests.Enqueue(now);
            return true;
        }
    }

    /// <summary>Ends an admitted request and books the processing time it really spent.</summary>
    public void Exit(Account account, TimeSpan scaledProcessing)
    {
        lock (_lock)
        {
            var state = State(account);
            state.InFlight = Math.Max(0, state.InFlight - 1);
            if (scaledProcessing > TimeSpan.Zero)
            {
                var now = options.TimeProvider.GetUtcNow();
                state.Processing.Enqueue((now - scaledProcessing, now));
            }
        }
    }

    /// <summary>A limit fired for undisclosed reasons: every request of the account is refused for <paramref name="period"/>.</summary>
    public void Block(Account account, TimeSpan period)
    {
        lock (_lock)
        {
            var until = options.TimeProvider.GetUtcNow() + period;
            var state = State(account);
            if (until > state.BlockedUntil) state.BlockedUntil = until;
        }
    }

    /// <summary>Forgets counts and budgets; requests still in flight stay counted until they end.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            foreach (var state in _accounts.Values)
            {
                state.Requests.Clear();
                state.Processing.Clear();
                state.BlockedUntil = default;
            }
        }
    }

    private AccountState State(Account account)
    {
        if (!_accounts.TryGetValue(account.Key, out var state)) _accounts[account.Key] = state = new AccountState();
        return state;
    }

    private void Expire(AccountState state, DateTimeOffset now)
    {
        while (state.Requests.Count > 0 && state.Requests.Peek() + options.CpuWindow <= now) state.Requests.Dequeue();
        while (state.Processing.Count > 0 && state.Processing.Peek().End + options.CpuWindow <= now) state.Processing.Dequeue();
    }

    /// <summary>Processing inside [now - window, now]: a sequential client's intervals never overlap, so it stays within the window's length.</summary>
    private TimeSpan ProcessingInWindow(AccountState state, DateTimeOffset now)
    {
        var from = now - options.CpuWindow;
        var total = TimeSpan.Zero;
        foreach (var (start, end) in state.Processing)
            if (end > from) total += end - (start > from ? start : from);
        return total;
    }

    private static int SecondsUntil(DateTimeOffset at, DateTimeOffset now) =>
        Math.Max(1, (int)Math.Ceiling((at - now).TotalSeconds));
}
