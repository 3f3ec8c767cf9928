using System.Globalization;
using System.Text.Json;

namespace Pulse.GitHubSimulator.Synthetic;

/// <summary>Plans and writes one pull request with its commits, reviews, comments and review threads, oldest first.</summary>
internal sealed class SyntheticPullRequestWriter(Utf8JsonWriter json, SyntheticSpec spec, Random random)
{
    private const long Above2To31 = 2_200_000_000L;
    private static readonly string[] Users = [.. Enumerable.Range(1, 40).Select(i => $"dev{i:D2}")];
    private static readonly string[] LabelNames = ["bug", "enhancement", "docs", "dependencies", "breaking", "good first issue"];
    private static readonly string[] LabelColors = ["d73a4a", "a2eeef", "0075ca", "0366d6", "b60205", "7057ff"];
    private static string? _huge;
    private long _ids;
    private long _prDatabaseId = 100_000_000;
    private long _childDatabaseId = 1_500_000_000;
    private string? _previousFirstOid;
    private readonly SyntheticTimeline _timeline = new(json, spec.Seed);
    private readonly Dictionary<string, int> _repositoryOrdinals = new(StringComparer.Ordinal);

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public PullRequestShape Plan(Action<PullRequestShape, int>? tail)
    {
        var heavy = spec.Tails == TailProfile.Heavy;
        var shape = new PullRequestShape
        {
            Commits = Math.Min(spec.CommitsMax, 1 + Geometric(0.3) + (heavy && random.NextDouble() < 0.02 ? random.Next(100, 300) : 0)),
            Reviews = Geometric(0.5),
            Comments = Geometric(0.45) + (heavy && random.NextDouble() < 0.01 ? random.Next(100, 160) : 0),
            Threads = random.NextDouble() < 0.4 ? 1 + Geometric(0.5) : 0,
            FirstThreadComments = 1 + Geometric(0.6),
            Labels = random.Next(0, 4),
            LargeDatabaseIds = random.NextDouble() < 0.25,
        };
        var state = random.NextDouble();
        (shape.State, shape.IsDraft) = state < 0.7 ? ("MERGED", false) : state < 0.85 ? ("CLOSED", false) : ("OPEN", random.NextDouble() < 0.3);
        if (shape.Threads > 0) shape.Reviews = Math.Max(1, shape.Reviews);
        tail?.Invoke(shape, spec.CommitsMax);
        shape.Commits = Math.Max(1, Math.Min(spec.CommitsMax, shape.Commits));
        return shape;
    }

    public void Write(string owner, string repo, int number, DateTimeOffset created, PullRequestShape shape)
    {
        // Lifetimes are heavy-tailed too: most close within a day, a few stay open for weeks.
        var lifetime = TimeSpan.FromMinutes(5 + Math.Min(60 * 24 * 30, -Math.Log(1 - random.NextDouble()) * 60 * 20));
        var updated = created + lifetime;
        var url = $"https://github.com/{owner}/{repo}/pull/{number}";
        var author = _timeline.Author(AuthorFor(shape.Author));
        var withoutCommits = _timeline.WithoutCommits(shape);
        var n = ++_ids;

        json.WriteStartObject();
        json.WriteString("id", $"PR_kwDOSy{n:D8}");
        json.WriteNumber("databaseId", shape.LargeDatabaseIds ? Above2To31 + n : ++_prDatabaseId);
        if (shape.LargeDatabaseIds) json.WriteString("fullDatabaseId", (Above2To31 + n).ToString(CultureInfo.InvariantCulture));
        json.WriteNumber("number", number);
        json.WriteString("title", shape.Body == BodyKind.Unicode ? SyntheticText.Awkward : SyntheticText.Title(random));
        json.WriteString("body", Body(shape.Body));
        json.WriteString("url", url);
        json.WriteString("state", shape.State);
        json.WriteBoolean("isDraft", shape.IsDraft);
        json.WriteBoolean("closed", shape.State != "OPEN");
        json.WriteBoolean("merged", shape.State == "MERGED");
        json.WriteBoolean("locked", false);
        json.WriteString("createdAt", Time(created));
        json.WriteString("updatedAt", Time(updated));
        DateTimeOffset? closedAt = shape.State == "OPEN" ? null : updated - lifetime / 20;
        json.WriteString("closedAt", closedAt is { } closed ? Time(closed) : null);
        json.WriteString("mergedAt", shape.State == "MERGED" ? Time(closedAt!.Value) : null);
        WriteActor("author", author);
        var mergedBy = shape.State == "MERGED" ? SyntheticActor.User(Users[random.Next(Users.Length)]) : default;
        if (shape.State == "MERGED") WriteActor("mergedBy", mergedBy);
        else json.WriteNull("mergedBy");
        json.WriteString("baseRefName", "main");
        var facts = new PullRequestFacts
        {
            Url = url, OrganizationOwned = owner == SyntheticDataset.OrganizationLogin, Shape = shape, Created = created, Updated = updated,
            ClosedAt = closedAt, Author = author, MergedBy = mergedBy, HeadRefName = $"feature/{number}-{SyntheticText.Hex(random, 4)}",
        };
        json.WriteString("headRefName", facts.HeadRefName);
        var baseRefOid = SyntheticText.Hex(random, 40);
        json.WriteString("baseRefOid", baseRefOid);

        var commits = new List<(string Id, string Oid, DateTimeOffset At, int Additions, int Deletions)>();
        for (var i = 0; i < shape.Commits; i++)
        {
            var oid = i == 0 && shape.SharesCommitWithPrevious && _previousFirstOid is not null ? _previousFirstOid : SyntheticText.Hex(random, 40);
            commits.Add(($"PURC_kwDOSy{++_ids:D8}", oid, Between(created.AddDays(-1), created, i, shape.Commits), random.Next(0, 200), random.Next(0, 80)));
        }
        _previousFirstOid = commits[0].Oid;
        if (!withoutCommits) facts.CommitOids.AddRange(commits.Select(c => c.Oid));
        // A pull request without commits had its branch reset to its base: no diff, its head is the base.
        json.WriteString("headRefOid", withoutCommits ? baseRefOid : commits[^1].Oid);
        if (shape.State == "MERGED") { json.WriteStartObject("mergeCommit"); json.WriteString("oid", facts.MergeCommitOid = SyntheticText.Hex(random, 40)); json.WriteEndObject(); }
        else json.WriteNull("mergeCommit");
        json.WriteNumber("additions", withoutCommits ? 0 : commits.Sum(c => c.Additions));
        json.WriteNumber("deletions", withoutCommits ? 0 : commits.Sum(c => c.Deletions));
        json.WriteNumber("changedFiles", withoutCommits ? 0 : Math.Max(1, commits.Count * 2 / 3));

        // Authors assign themselves: a deterministic choice, so the random sequence (and the rest of the data) stays as it was.
        json.WriteStartArray("assignees");
        if (author is { Login: not null, Type: "User" }) author.ToJson()!.WriteTo(json);
        json.WriteEndArray();

        // Labels belong to their repository: one id per (repository, name), shared by that repository's pull requests.
        _repositoryOrdinals.TryAdd($"{owner}/{repo}", _repositoryOrdinals.Count + 1);
        json.WriteStartArray("labels");
        for (var l = 0; l < shape.Labels; l++)
        {
            json.WriteStartObject();
            json.WriteString("id", $"LA_kwDOSy{_repositoryOrdinals[$"{owner}/{repo}"]:D3}{l:D4}");
            json.WriteString("name", LabelNames[l]);
            json.WriteString("color", LabelColors[l]);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        // The commits' text is drawn here, where it always was; they are written after the reviews, whose times decide which
        // commits came after the first review (rework).
        var texts = commits.Select(_ => DrawCommitText()).ToList();

        var reviewIds = new List<string>();
        json.WriteStartArray("reviews");
        for (var i = 0; i < shape.Reviews; i++)
        {
            var at = Between(created, updated, i, shape.Reviews);
            var id = $"PRR_kwDOSy{++_ids:D8}";
            reviewIds.Add(id);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteNumber("databaseId", ChildDatabaseId(shape));
            var drawn = SyntheticActor.User(Users[random.Next(Users.Length)]);
            var (reviewer, state) = _timeline.Reviewer(drawn,
                i == shape.Reviews - 1 && shape.State == "MERGED" ? "APPROVED" : random.NextDouble() < 0.2 ? "CHANGES_REQUESTED" : "COMMENTED", author);
            facts.Reviews.Add((at, reviewer));
            WriteActor("author", reviewer);
            json.WriteString("state", state);
            json.WriteString("body", random.NextDouble() < 0.5 ? "" : SyntheticText.Sentence(random));
            json.WriteString("createdAt", Time(at)); json.WriteString("submittedAt", Time(at)); json.WriteString("updatedAt", Time(at));
            json.WriteStartObject("commit"); json.WriteString("oid", commits[^1].Oid); json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("comments");
        for (var i = 0; i < shape.Comments; i++)
        {
            var at = Between(created, updated, i, shape.Comments);
            json.WriteStartObject();
            json.WriteString("id", $"IC_kwDOSy{++_ids:D8}");
            json.WriteNumber("databaseId", ChildDatabaseId(shape));
            facts.FirstCommentAt ??= at;
            var commenter = i == 0 && shape.Reopened ? author : SyntheticActor.User(Users[random.Next(Users.Length)]);
            WriteActor("author", commenter);
            json.WriteString("body", i == 0 && shape.Reopened ? "Reopening: the fix was reverted upstream." : SyntheticText.Sentence(random));
            json.WriteString("createdAt", Time(at)); json.WriteString("updatedAt", Time(at));
            json.WriteBoolean("isMinimized", random.NextDouble() < 0.02);
            json.WriteString("url", $"{url}#issuecomment-{_childDatabaseId}");
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("reviewThreads");
        for (var t = 0; t < shape.Threads; t++) WriteThread(shape, t, created, updated, reviewIds, commits[^1].Oid);
        json.WriteEndArray();

        var authored = _timeline.Rework([.. commits.Select(c => c.At)], facts.Reviews.Count > 0 ? facts.Reviews.Min(r => r.At) : null, closedAt ?? updated);
        if (!withoutCommits) facts.CommitDates.AddRange(authored);
        json.WriteStartArray("commits");
        for (var i = 0; i < commits.Count && !withoutCommits; i++)
            WriteCommit(json, owner, repo, commits[i].Id, commits[i].Oid, authored[i], commits[i].Additions, commits[i].Deletions, author.Login, texts[i]);
        json.WriteEndArray();
        _timeline.Write(facts, Users);
        json.WriteEndObject();
    }

    private void WriteThread(PullRequestShape shape, int index, DateTimeOffset created, DateTimeOffset updated, List<string> reviewIds, string oid)
    {
        var path = $"src/module{random.Next(20)}/file{random.Next(50)}.go";
        var line = random.Next(1, 400);
        var resolved = random.NextDouble() < 0.5;
        var count = index == 0 ? shape.FirstThreadComments : 1 + Geometric(0.6);
        json.WriteStartObject();
        json.WriteString("id", $"PRRT_kwDOSy{++_ids:D8}");
        json.WriteBoolean("isResolved", resolved);
        json.WriteBoolean("isOutdated", random.NextDouble() < 0.2);
        json.WriteBoolean("isCollapsed", resolved);
        json.WriteString("path", path);
        json.WriteNumber("line", line);
        json.WriteNull("startLine");
        json.WriteString("diffSide", "RIGHT");
        if (resolved) WriteActor("resolvedBy", SyntheticActor.User(Users[random.Next(Users.Length)])); else json.WriteNull("resolvedBy");
        json.WriteStartArray("comments");
        string? first = null;
        for (var i = 0; i < count; i++)
        {
            var id = $"PRRC_kwDOSy{++_ids:D8}";
            var at = Between(created, updated, i, count);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteNumber("databaseId", ChildDatabaseId(shape));
            WriteActor("author", SyntheticActor.User(Users[random.Next(Users.Length)]));
            json.WriteString("body", SyntheticText.Sentence(random));
            json.WriteString("createdAt", Time(at)); json.WriteString("updatedAt", Time(at));
            json.WriteString("path", path); json.WriteNumber("line", line); json.WriteNumber("originalLine", line);
            json.WriteString("diffHunk", $"@@ -{line},3 +{line},4 @@\n context\n+added line");
            json.WriteStartObject("commit"); json.WriteString("oid", oid); json.WriteEndObject();
            // Replies point at the thread's first comment, as GitHub's replyTo does.
            if (first is null) json.WriteNull("replyTo");
            else { json.WriteStartObject("replyTo"); json.WriteString("id", first); json.WriteEndObject(); }
            json.WriteStartObject("pullRequestReview"); json.WriteString("id", reviewIds[(index + i) % reviewIds.Count]); json.WriteEndObject();
            json.WriteEndObject();
            first ??= id;
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A commit's message and changed files, drawn in the order the data set always drew them.</summary>
    private (string Message, int ChangedFiles) DrawCommitText() => ($"{SyntheticText.Title(random)}\n\n{SyntheticText.Sentence(random)}", 1 + random.Next(5));

    private static void WriteCommit(Utf8JsonWriter json, string owner, string repo, string id, string oid, DateTimeOffset at, int additions, int deletions, string? login,
        (string Message, int ChangedFiles) text)
    {
        var name = login ?? "Former Contributor";
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("url", $"https://github.com/{owner}/{repo}/commit/{oid}");
        json.WriteStartObject("commit");
        json.WriteString("oid", oid);
        json.WriteString("message", text.Message);
        json.WriteNumber("additions", additions); json.WriteNumber("deletions", deletions);
        json.WriteNumber("changedFiles", text.ChangedFiles);
        json.WriteString("authoredDate", Time(at)); json.WriteString("committedDate", Time(at));
        json.WriteString("url", $"https://github.com/{owner}/{repo}/commit/{oid}");
        foreach (var role in new[] { "author", "committer" })
        {
            json.WriteStartObject(role);
            json.WriteString("name", role == "author" ? name : "GitHub");
            json.WriteString("email", role == "author" ? $"{name}@users.noreply.github.com" : "noreply@github.com");
            json.WriteString("date", Time(at));
            if (role == "author" && login is not null)
            {
                json.WriteStartObject("user");
                json.WriteString("id", SyntheticActor.Id(login, "User"));
                json.WriteString("login", login);
                json.WriteEndObject();
            }
            else json.WriteNull("user");
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private SyntheticActor AuthorFor(AuthorKind kind) => kind switch
    {
        AuthorKind.Ghost => new SyntheticActor(null, "User"),
        AuthorKind.Bot => SyntheticActor.Bot("dependabot"),
        AuthorKind.Mannequin => new SyntheticActor("imported-user-7", "Mannequin"),
        _ => SyntheticActor.User(Users[random.Next(Users.Length)]),
    };

    private void WriteActor(string property, SyntheticActor actor) => actor.Write(json, property);

    private string Body(BodyKind kind) => kind switch
    {
        BodyKind.Empty => "",
        BodyKind.Huge => _huge ??= SyntheticText.Huge(),
        BodyKind.Unicode => SyntheticText.Awkward + "\n\n" + SyntheticText.Paragraphs(random, 1),
        _ => SyntheticText.Paragraphs(random, 1 + random.Next(3)),
    };

    private long ChildDatabaseId(PullRequestShape shape) => shape.LargeDatabaseIds ? Above2To31 + ++_childDatabaseId : ++_childDatabaseId;

    /// <summary>The i-th of n timestamps spread in order inside (from, to].</summary>
    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to, int i, int n) =>
        from + (to - from) * ((i + 0.5 + 0.4 * (random.NextDouble() - 0.5)) / Math.Max(1, n));

    private int Geometric(double p)
    {
        var k = 0;
        while (random.NextDouble() > p && k < 50) k++;
        return k;
    }
}
