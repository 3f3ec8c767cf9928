using Pulse.Core.Extract;

namespace Pulse.Core.Tests.Extract;

public sealed class CostRuleTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(51, 1)]
    [InlineData(149, 1)]
    [InlineData(150, 2)]
    [InlineData(249, 2)]
    [InlineData(5_101, 51)]
    public void Points_Requests_RoundHalfUpWithAMinimumOfOne(long requests, int points) =>
        Assert.Equal(points, CostRule.Points(requests));
}
