namespace Pulse.Core.Search;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a document scores Σ 1 / (k + rank) over the rankings it
/// appears in, rank counted from 1. Only ranks are used, so a BM25 score and a cosine similarity need no common scale;
/// k = 60, the paper's value, keeps one list's top hit from outweighing agreement between the lists.
/// </summary>
public static class ReciprocalRankFusion
{
    public const int K = 60;

    /// <summary>The documents of every ranking by fused score, best first; ties keep the order in which they were first seen.</summary>
    public static IReadOnlyList<(long Id, double Score)> Fuse(params IReadOnlyList<long>[] rankings)
    {
        var scores = new Dictionary<long, double>();
        var firstSeen = new List<long>();
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
            {
                if (!scores.ContainsKey(ranking[i])) firstSeen.Add(ranking[i]);
                scores[ranking[i]] = scores.GetValueOrDefault(ranking[i]) + 1.0 / (K + i + 1);
            }
        }
        return firstSeen.Select((id, order) => (id, order)).OrderByDescending(x => scores[x.id]).ThenBy(x => x.order).Select(x => (x.id, scores[x.id])).ToList();
    }
}
