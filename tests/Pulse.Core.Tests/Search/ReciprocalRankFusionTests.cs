using Pulse.Core.Search;

namespace Pulse.Core.Tests.Search;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_TwoRankings_ScoresAreSumsOfOneOverSixtyPlusRank()
    {
        var fused = ReciprocalRankFusion.Fuse([1, 2, 3], [3, 4]);

        Assert.Equal([3L, 1, 2, 4], fused.Select(f => f.Id));
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal(1.0 / 61, fused[1].Score, 12);
    }

    [Fact]
    public void Fuse_EqualScores_KeepTheFirstRankingsOrder()
    {
        // A keyword-only top hit ties with a vector-only top hit: the keyword ranking is passed first and wins.
        var fused = ReciprocalRankFusion.Fuse([7], [9]);

        Assert.Equal([7L, 9], fused.Select(f => f.Id));
    }

    [Fact]
    public void Fuse_NoRankings_Empty() => Assert.Empty(ReciprocalRankFusion.Fuse([], []));
}
