namespace Pulse.Core.Extract;

/// <summary>One checkpoint's next page inside a packed query: its alias and its page width.</summary>
public sealed record FetchUnit(string Alias, Checkpoint Checkpoint, int First)
{
    /// <summary>Comments fetched with each review thread: the width does not change the cost, one request per thread.</summary>
    public const int ThreadCommentsWidth = 100;

    /// <summary>GitHub's request count for this unit: one per connection per possible parent.</summary>
    public long Requests => Checkpoint.Kind == FetchKind.ReviewThreads ? 1 + First : 1;

    /// <summary>Possible nodes (GitHub's node-limit count).</summary>
    public long PossibleNodes => Checkpoint.Kind == FetchKind.ReviewThreads ? First + (long)First * ThreadCommentsWidth : First;

    /// <summary>Items we expect back (what the server's work, and so its time, grows with).</summary>
    public long ExpectedItems
    {
        get
        {
            var items = Math.Min(First, Math.Max(1, Checkpoint.Remaining));
            // A thread carries ~3 comments on average; the first page of each comes with it.
            return Checkpoint.Kind == FetchKind.ReviewThreads ? items * 4 : items;
        }
    }
}
