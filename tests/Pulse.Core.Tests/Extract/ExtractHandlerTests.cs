using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Core.Tests.Extract;

/// <summary>
/// The extraction handler's waits on a fake clock: back-off after a failure, a primary-limit pause and its resume, a secondary
/// limit's retry-after, and the smaller pack after a timeout. Time moves only when the test moves it, and only once the handler
/// has set the timer it waits on.
/// </summary>
public sealed class ExtractHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandleAsync_NoFault_StoresOnePageAndWaitsForNothing()
    {
        var harness = new ExtractHandlerHarness();

        await harness.HandleAsync(Ct);

        var page = Assert.Single(harness.Checkpoints.Pages);
        Assert.Equal(harness.Clock.Start, harness.Clock.GetUtcNow());
        Assert.Equal(3, page.Outcome.Advances.Count);
        Assert.Equal(3, harness.Checkpoints.Done);
    }

    [Fact]
    public async Task HandleAsync_GitHubTimesOutAPack_BacksOffThenSendsASmallerPackAndLowersTheBudget()
    {
        var harness = new ExtractHandlerHarness();
        var before = harness.Budgets.ItemsPerQuery(FetchKind.PullRequests);
        harness.GitHub.Fail(ScriptedGitHub.GatewayTimeout);

        var handling = harness.HandleAsync(Ct);
        await ExtractHandlerHarness.UntilAsync(() => harness.GitHub.Requests.Count == 1 && BackOffSet(harness), Ct);

        // Backing off: nothing is sent again until the clock passes the back-off.
        Assert.False(handling.IsCompleted);
        var backOff = harness.Clock.Timers.Last(t => t > TimeSpan.Zero);
        Assert.InRange(backOff, TimeSpan.FromTicks(1), harness.Options.MaxBackoff);
        harness.Clock.Advance(backOff / 2);
        Assert.Single(harness.GitHub.Requests);
        harness.Clock.Advance(backOff - backOff / 2);
        await handling.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var (first, retry) = (harness.GitHub.Requests[0], harness.GitHub.Requests[1]);
        Assert.Equal(3, first.Units);
        Assert.InRange(retry.Units, 1, first.Units - 1);
        Assert.Equal(harness.Clock.Start + backOff, retry.At);
        Assert.True(harness.Budgets.ItemsPerQuery(FetchKind.PullRequests) < before, "a timed-out pack lowers its kind's work budget");
        // What the smaller pack left out went back for the next turn, untouched (no attempt counted against it).
        Assert.Contains(harness.Checkpoints.Releases, r => !r.Release.CountAttempt && r.Ids.Count == first.Units - retry.Units);
    }

    [Fact]
    public async Task HandleAsync_SecondaryLimit_WaitsExactlyTheRetryAfterThenSendsTheSameQuery()
    {
        var harness = new ExtractHandlerHarness();
        harness.GitHub.Fail(() => ScriptedGitHub.SecondaryLimit(TimeSpan.FromSeconds(90)));

        var handling = harness.HandleAsync(Ct);
        await ExtractHandlerHarness.UntilAsync(() => harness.Clock.Timers.Contains(TimeSpan.FromSeconds(90)), Ct);

        await AdvanceThroughAsync(harness, handling, TimeSpan.FromSeconds(90));

        Assert.Equal(2, harness.GitHub.Requests.Count);
        Assert.Equal(harness.Clock.Start + TimeSpan.FromSeconds(90), harness.GitHub.Requests[1].At);
        // Waiting out a limit is no failure of the query: the same pack goes again, and nothing counts an attempt.
        Assert.Equal(harness.GitHub.Requests[0].Units, harness.GitHub.Requests[1].Units);
        Assert.DoesNotContain(harness.Checkpoints.Releases, r => r.Release.CountAttempt);
        Assert.Single(harness.Checkpoints.Pages);
    }

    [Fact]
    public async Task HandleAsync_PrimaryLimitSpent_PausesUntilTheResetShowingRateLimitedThenResumes()
    {
        var harness = new ExtractHandlerHarness();
        var resetAt = harness.Clock.Start + TimeSpan.FromMinutes(10);
        harness.GitHub.Fail(() => ScriptedGitHub.PrimaryLimitSpent(resetAt));

        var handling = harness.HandleAsync(Ct);
        await ExtractHandlerHarness.UntilAsync(() => harness.Jobs.Overall.Count == 1 && harness.Clock.Timers.Any(t => t >= TimeSpan.FromMinutes(10)), Ct);

        // Paused: the job shows RATE_LIMITED until the reset (plus the budget's margin); the claims went back, uncounted.
        var (overall, resumeAt) = harness.Jobs.Overall[0];
        Assert.Equal(OverallStatus.RateLimited, overall);
        Assert.NotNull(resumeAt);
        Assert.InRange(resumeAt.Value, resetAt, resetAt + TimeSpan.FromSeconds(5));
        Assert.Contains(harness.Checkpoints.Releases, r => r.Ids.Count == 3 && !r.Release.CountAttempt);
        await AdvanceThroughAsync(harness, handling, resumeAt.Value - harness.Clock.GetUtcNow());

        Assert.Equal(2, harness.GitHub.Requests.Count);
        Assert.True(harness.GitHub.Requests[1].At >= resetAt, "nothing is sent before the limit resets");
        Assert.Equal(OverallStatus.Running, harness.Jobs.Overall[^1].Overall);
        Assert.Single(harness.Checkpoints.Pages);
    }

    [Fact]
    public async Task HandleAsync_TimeoutsOfOneCheckpointAlone_HalveItsPageUntilGitHubAnswers()
    {
        var harness = new ExtractHandlerHarness(new ExtractOptions { ClaimBatch = 1 });
        harness.GitHub.Fail(ScriptedGitHub.GatewayTimeout);
        harness.GitHub.Fail(ScriptedGitHub.GatewayTimeout);

        var handling = harness.HandleAsync(Ct);
        for (var failed = 1; failed <= 2; failed++)
        {
            var requests = failed;
            await ExtractHandlerHarness.UntilAsync(() => harness.GitHub.Requests.Count == requests && harness.Clock.Timers.Count(t => t > TimeSpan.Zero) >= requests, Ct);
            harness.Clock.Advance(harness.Options.MaxBackoff);
        }
        await handling.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        // One listing alone cannot be split: its page narrows (100 → 50 → 25 PRs); once answered, it may widen again (× 2).
        Assert.Equal([[100], [50], [25]], harness.GitHub.Requests.Select(r => r.ListingWidths));
        var advance = Assert.Single(Assert.Single(harness.Checkpoints.Pages).Outcome.Advances);
        Assert.Equal(50, advance.PageSize);
    }

    /// <summary>Moves the clock to one second before <paramref name="wait"/> ends (nothing more is sent), then through it; the turn ends.</summary>
    private static async Task AdvanceThroughAsync(ExtractHandlerHarness harness, Task handling, TimeSpan wait)
    {
        harness.Clock.Advance(wait - TimeSpan.FromSeconds(1));
        await Task.Yield();
        Assert.Single(harness.GitHub.Requests);
        Assert.False(handling.IsCompleted);
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await handling.WaitAsync(TimeSpan.FromSeconds(60), Ct);
    }

    private static bool BackOffSet(ExtractHandlerHarness harness) => harness.Clock.Timers.Any(t => t > TimeSpan.Zero);
}
