using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.GraphQL.Execution;

namespace Pulse.GitHubSimulator.Synthetic;

/// <summary>
/// Decides each pull request's timeline and the review authors it implies (bots, ghosts, the author), and writes
/// its "timelineItems". It draws from its own random stream, so the rest of a seed's data set keeps the draws it had
/// before timelines existed. Every kind of history is owed once per data set and given to the first pull request it
/// fits, then at its own rate, so even a small data set holds each one.
/// </summary>
internal sealed class SyntheticTimeline(Utf8JsonWriter json, int seed)
{
    private static readonly string[] BotAuthors = ["dependabot", "renovate", "github-actions"];
    private static readonly string[] BotReviewers = ["copilot-pull-request-reviewer", "coderabbitai", "sonarqubecloud"];
    private static readonly (string Slug, string Name)[] Teams = [("backend", "Backend"), ("frontend", "Frontend"), ("platform", "Platform")];

    private readonly Random _random = new(unchecked(seed * 7919 + 104_729));
    private readonly HashSet<History> _owed = [.. Enum.GetValues<History>()];
    private long _events;

    /// <summary>The author of a pull request: a drawn user is now and then a bot instead (dependency updates, automation).</summary>
    public SyntheticActor Author(SyntheticActor drawn) =>
        drawn.Type == "User" && drawn.Login is not null && Due(History.BotAuthor, _random.NextDouble() < 0.03)
            ? SyntheticActor.Bot(BotAuthors[_random.Next(BotAuthors.Length)]) : drawn;

    /// <summary>Whether a pull request lists no commits: only closed ones, whose branch was reset to its base.</summary>
    public bool WithoutCommits(PullRequestShape shape) =>
        shape.State == "CLOSED" && Due(History.WithoutCommits, _random.NextDouble() < 0.03);

    /// <summary>
    /// The author and state of a review, given the drawn ones: now and then the PR's author (a reply in a thread
    /// is a review; GitHub refuses self-approval, so it comments), a review bot, or a deleted user.
    /// </summary>
    public (SyntheticActor Author, string State) Reviewer(SyntheticActor drawn, string state, SyntheticActor prAuthor)
    {
        var roll = _random.NextDouble();
        var selfPossible = prAuthor is { Type: "User", Login: not null };
        if (selfPossible && Due(History.SelfReview, roll < 0.04)) return (prAuthor, "COMMENTED");
        if (Due(History.BotReview, roll < 0.09)) return (SyntheticActor.Bot(BotReviewers[_random.Next(BotReviewers.Length)]), "COMMENTED");
        if (Due(History.GhostReview, roll < 0.11)) return (new SyntheticActor(null, "User"), state);
        return (drawn, drawn == prAuthor ? "COMMENTED" : state);   // the draw may pick the author too
    }

    /// <summary>
    /// The commits' authored dates after review: now and then the last commits (never the first) answer the first review,
    /// authored between it and the end, in order. The others keep their dates (all before the PR was opened).
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Rework(IReadOnlyList<DateTimeOffset> authored, DateTimeOffset? firstReview, DateTimeOffset end)
    {
        var dates = authored.ToList();
        if (firstReview is not { } review || review >= end || dates.Count < 2 || !Due(History.ReworkAfterReview, _random.NextDouble() < 0.3)) return dates;
        var k = 1 + _random.Next(Math.Min(3, dates.Count - 1));
        var at = review;
        for (var i = dates.Count - k; i < dates.Count; i++)
            dates[i] = at = Lerp(at, end, 0.1, 0.6) is var next && next > at ? next : at + TimeSpan.FromSeconds(1);
        return dates;
    }

    /// <summary>Writes "timelineItems": the pull request's lifecycle events, oldest first, consistent with <paramref name="pr"/>.</summary>
    public void Write(PullRequestFacts pr, IReadOnlyList<string> users)
    {
        var events = new List<(DateTimeOffset At, JsonObject Item)>();
        var end = pr.ClosedAt ?? pr.Updated;
        var firstReview = pr.Reviews.Count > 0 ? pr.Reviews.Min(r => r.At) : (DateTimeOffset?)null;
        var readyAt = DraftHistory(pr, end, firstReview, events);
        var anchor = readyAt ?? pr.Created;
        ReviewRequests(pr, anchor, end, firstReview, users, events);
        ForcePushes(pr, end, events);
        Closings(pr, end, users, events);
        json.WritePropertyName("timelineItems");
        json.WriteStartArray();
        foreach (var (_, item) in events.OrderBy(e => e.At)) item.WriteTo(json);
        json.WriteEndArray();
    }

    /// <summary>Drafts opened and readied, returned to draft and readied again, or still draft; returns when a draft was first readied.</summary>
    private DateTimeOffset? DraftHistory(PullRequestFacts pr, DateTimeOffset end, DateTimeOffset? firstReview, List<(DateTimeOffset, JsonObject)> events)
    {
        var roll = _random.NextDouble();
        var shape = pr.Shape;
        var beforeReview = Min(firstReview ?? end, end);
        if (shape.IsDraft)
        {
            if (Due(History.StillDraftAfterReturn, roll is >= 0.5 and < 0.8))
            {
                var ready = Lerp(pr.Created, beforeReview, 0.2, 0.7);
                Add(events, pr, "ReadyForReviewEvent", ready, pr.Author);
                Add(events, pr, "ConvertToDraftEvent", Lerp(ready, end, 0.2, 0.8), pr.Author);
                return ready;
            }
            if (roll >= 0.8) Add(events, pr, "ConvertToDraftEvent", Lerp(pr.Created, end, 0.3, 0.9), pr.Author);
            return null;   // opened as a draft and never readied, or opened ready and returned to draft
        }
        if (Due(History.DraftReadied, roll < 0.2))
        {
            var ready = Lerp(pr.Created, beforeReview, 0.2, 0.7);
            Add(events, pr, "ReadyForReviewEvent", ready, pr.Author);
            return ready;
        }
        if (Due(History.DraftReadiedTwice, roll < 0.26))
        {
            var ready = Lerp(pr.Created, beforeReview, 0.2, 0.7);
            var back = Lerp(ready, end, 0.3, 0.5);
            Add(events, pr, "ReadyForReviewEvent", ready, pr.Author);
            Add(events, pr, "ConvertToDraftEvent", back, pr.Author);
            Add(events, pr, "ReadyForReviewEvent", Lerp(back, end, 0.3, 0.8), pr.Author);
            return ready;
        }
        if (roll < 0.3)
        {
            var back = Lerp(pr.Created, end, 0.2, 0.5);
            Add(events, pr, "ConvertToDraftEvent", back, pr.Author);
            Add(events, pr, "ReadyForReviewEvent", Lerp(back, end, 0.3, 0.8), pr.Author);
        }
        return null;
    }

    /// <summary>Requests before the reviews they ask for; team and bot requests; requests later removed.</summary>
    private void ReviewRequests(PullRequestFacts pr, DateTimeOffset anchor, DateTimeOffset end, DateTimeOffset? firstReview,
        IReadOnlyList<string> users, List<(DateTimeOffset, JsonObject)> events)
    {
        var reviewers = pr.Reviews.Where(r => r.Author.Login is not null && r.Author != pr.Author)
            .GroupBy(r => r.Author).Select(g => (Reviewer: g.Key, At: g.Min(r => r.At)));
        foreach (var (reviewer, at) in reviewers)
            if (_random.NextDouble() < (reviewer.Type == "Bot" ? 0.9 : 0.7))
                Request(events, pr, "ReviewRequestedEvent", Lerp(Min(anchor, at), at, 0.05, 0.95), reviewer.ToJson()!);
        var early = Min(firstReview ?? end, end);
        if (pr.OrganizationOwned && Due(History.TeamRequest, _random.NextDouble() < 0.15))
        {
            var (slug, name) = Teams[_random.Next(Teams.Length)];
            Request(events, pr, "ReviewRequestedEvent", Lerp(Min(anchor, early), early, 0.05, 0.5), new JsonObject
            {
                ["__typename"] = "Team", ["id"] = $"T_kwDOSy{Array.IndexOf(Teams, (slug, name)) + 1:D4}", ["name"] = name, ["slug"] = slug,
                ["url"] = $"https://github.com/orgs/{SyntheticDataset.OrganizationLogin}/teams/{slug}",
            });
        }
        if (Due(History.BotRequestWithoutReview, _random.NextDouble() < 0.03))
            Request(events, pr, "ReviewRequestedEvent", Lerp(anchor, end, 0.05, 0.3), SyntheticActor.Bot(BotReviewers[0]).ToJson()!);
        // A reviewer's request stays (a review answers it) and the author cannot be asked: someone else is asked, then not.
        var others = users.Select(SyntheticActor.User).Where(u => u != pr.Author && pr.Reviews.All(r => r.Author != u)).ToList();
        if (others.Count > 0 && Due(History.RemovedRequest, _random.NextDouble() < 0.08))
        {
            var user = others[_random.Next(others.Count)];
            var asked = Lerp(anchor, end, 0.05, 0.4);
            Request(events, pr, "ReviewRequestedEvent", asked, user.ToJson()!);
            Request(events, pr, "ReviewRequestRemovedEvent", Lerp(asked, end, 0.2, 0.9), user.ToJson()!);
        }
    }

    /// <summary>Force pushes: each replaced a head that is gone from the commits with one of the commits listed now.</summary>
    private void ForcePushes(PullRequestFacts pr, DateTimeOffset end, List<(DateTimeOffset, JsonObject)> events)
    {
        var n = pr.CommitOids.Count;
        if (n == 0 || !Due(History.ForcePush, _random.NextDouble() < 0.12)) return;
        var twice = n >= 2 && _random.NextDouble() < 0.25;
        var first = twice ? _random.Next(n - 1) : _random.Next(n);
        var at = pr.Created;
        foreach (var index in twice ? [first, _random.Next(first + 1, n)] : new[] { first })
        {
            // A push comes after the commit it put at the head was authored (a rework commit may be after the first review).
            var from = Max(at, pr.CommitDates[index]);
            at = from < end ? Lerp(from, end, 0.1, 0.5) : from;
            string gone;
            do gone = SyntheticText.Hex(_random, 40); while (pr.CommitOids.Contains(gone));
            Add(events, pr, "HeadRefForcePushedEvent", at, pr.Author, new JsonObject
            {
                ["beforeCommit"] = new JsonObject { ["oid"] = gone },
                ["afterCommit"] = new JsonObject { ["oid"] = pr.CommitOids[index] },
                ["ref"] = new JsonObject { ["name"] = pr.HeadRefName, ["prefix"] = "refs/heads/" },
            });
        }
    }

    /// <summary>A merge is one MergedEvent and a ClosedEvent at mergedAt; a closed PR ends on a ClosedEvent at closedAt; reopenings in between.</summary>
    private void Closings(PullRequestFacts pr, DateTimeOffset end, IReadOnlyList<string> users, List<(DateTimeOffset, JsonObject)> events)
    {
        var shape = pr.Shape;
        var roll = _random.NextDouble();
        var closer = shape.State == "CLOSED" && _random.NextDouble() < 0.3 ? SyntheticActor.User(users[_random.Next(users.Count)]) : pr.Author;
        // The reopened tail's author explains the reopening in its first comment: reopened before that comment.
        var reopenBy = shape.Reopened ? pr.FirstCommentAt ?? end : end;
        if (shape.Reopened || (shape.State == "OPEN" && roll < 0.04) || (shape.State == "CLOSED" && Due(History.ClosedReopenedClosed, roll < 0.04)))
        {
            var closed = Lerp(pr.Created, reopenBy, 0.2, 0.5);
            Add(events, pr, "ClosedEvent", closed, closer);
            Add(events, pr, "ReopenedEvent", Lerp(closed, reopenBy, 0.3, 1.0), pr.Author);
        }
        if (shape.State == "MERGED")
        {
            Add(events, pr, "MergedEvent", end, pr.MergedBy, new JsonObject
            {
                ["commit"] = new JsonObject { ["oid"] = pr.MergeCommitOid }, ["mergeRefName"] = "main",
            });
            Add(events, pr, "ClosedEvent", end, pr.MergedBy);
        }
        else if (shape.State == "CLOSED") Add(events, pr, "ClosedEvent", end, closer);
    }

    private void Request(List<(DateTimeOffset, JsonObject)> events, PullRequestFacts pr, string type, DateTimeOffset at, JsonObject reviewer) =>
        Add(events, pr, type, at, pr.Author, new JsonObject { ["requestedReviewer"] = reviewer });

    private void Add(List<(DateTimeOffset, JsonObject)> events, PullRequestFacts pr, string type, DateTimeOffset at, SyntheticActor actor, JsonObject? fields = null)
    {
        var n = ++_events;
        var item = new JsonObject
        {
            ["__typename"] = type,
            ["id"] = $"{TimelineItems.Event(type).IdPrefix}_kwDOTl{n:D8}",
            ["createdAt"] = SyntheticPullRequestWriter.Time(at),
            ["actor"] = actor.ToJson(),
        };
        foreach (var (key, value) in fields ?? []) item[key] = value?.DeepClone();
        if (TimelineItems.Event(type).HasUrl)
        {
            item["url"] = $"{pr.Url}#event-{9_000_000_000 + n}";
            item["resourcePath"] = $"{new Uri(pr.Url).AbsolutePath}#event-{9_000_000_000 + n}";
        }
        events.Add((Whole(at), item));
    }

    /// <summary>Whether to give <paramref name="history"/> now: by <paramref name="chance"/>, or because the data set still owes it.</summary>
    private bool Due(History history, bool chance) => _owed.Remove(history) | chance;

    /// <summary>A time between <paramref name="from"/> and <paramref name="to"/>, at a random share in [low, high), in whole seconds.</summary>
    private DateTimeOffset Lerp(DateTimeOffset from, DateTimeOffset to, double low, double high) =>
        Whole(from + (to - from) * (low + (high - low) * _random.NextDouble()));

    private static DateTimeOffset Whole(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The histories every data set holds at least once.</summary>
    private enum History
    {
        BotAuthor, WithoutCommits, SelfReview, BotReview, GhostReview, StillDraftAfterReturn, DraftReadied, DraftReadiedTwice,
        TeamRequest, BotRequestWithoutReview, RemovedRequest, ForcePush, ClosedReopenedClosed, ReworkAfterReview,
    }
}
