namespace Pulse.GitHubSimulator.Synthetic;

internal enum AuthorKind { User, Bot, Mannequin, Ghost }

internal enum BodyKind { Normal, Empty, Huge, Unicode }

/// <summary>The planned size and oddities of one synthetic pull request, decided before any of it is written.</summary>
internal sealed class PullRequestShape
{
    public int Commits = 1;
    public int Reviews;
    public int Comments;
    public int Threads;
    /// <summary>Comments in the first review thread (the first one plus its replies).</summary>
    public int FirstThreadComments = 1;
    public int Labels;
    public AuthorKind Author = AuthorKind.User;
    public BodyKind Body = BodyKind.Normal;
    public string State = "MERGED";
    public bool IsDraft;
    public bool Reopened;
    public bool SharesCommitWithPrevious;
    public bool LargeDatabaseIds;

    /// <summary>The extreme shape of <see cref="SyntheticSpec.Extreme"/>: 300 commits, 500 comments, 80 review threads.</summary>
    public static void Extreme(PullRequestShape s, int commitsMax)
    {
        s.Commits = Math.Min(commitsMax, 300);
        s.Comments = 500;
        s.Threads = 80;
        s.Reviews = Math.Max(s.Reviews, 3);
    }

    /// <summary>The tails every "normal" or "heavy" data set holds at least once, most important first.</summary>
    public static IReadOnlyList<Action<PullRequestShape, int>> Tails { get; } =
    [
        (s, max) => s.Commits = Math.Min(max, 120),
        (s, max) => s.Commits = Math.Min(max, 260),
        (s, _) => s.Comments = 130,
        (s, _) => { s.Threads = 110; s.Reviews = Math.Max(s.Reviews, 2); },
        (s, _) => { s.Threads = Math.Max(s.Threads, 1); s.FirstThreadComments = 120; s.Reviews = Math.Max(s.Reviews, 1); },
        (s, _) => s.Reviews = 105,
        (s, _) => s.Author = AuthorKind.Ghost,
        (s, _) => s.Author = AuthorKind.Bot,
        (s, _) => s.Author = AuthorKind.Mannequin,
        (s, _) => s.Body = BodyKind.Empty,
        (s, _) => s.Body = BodyKind.Huge,
        (s, _) => s.Body = BodyKind.Unicode,
        (s, _) => s.SharesCommitWithPrevious = true,
        (s, _) => { s.State = "OPEN"; s.IsDraft = true; },
        (s, _) => s.State = "CLOSED",
        (s, _) => { s.State = "OPEN"; s.Reopened = true; s.Comments = Math.Max(s.Comments, 1); },
    ];
}
