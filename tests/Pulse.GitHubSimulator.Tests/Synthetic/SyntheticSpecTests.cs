using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.GitHubSimulator.Tests.Synthetic;

public sealed class SyntheticSpecTests
{
    [Fact]
    public void Parse_AllKeys_SetsEachValue()
    {
        var spec = SyntheticSpec.Parse("repos=20, prs=500,seed=7,tails=heavy,commits_max=280,big_body=false");

        Assert.Equal(new SyntheticSpec { Repositories = 20, PullRequests = 500, Seed = 7, Tails = TailProfile.Heavy, CommitsMax = 280, BigBody = false }, spec);
    }

    [Fact]
    public void Parse_Empty_GivesDefaults()
    {
        Assert.Equal(new SyntheticSpec(), SyntheticSpec.Parse(""));
    }

    [Theory]
    [InlineData("colour=red", "Unknown synthetic setting 'colour'")]
    [InlineData("repos=0", "repos=0: expected a whole number in 1..100000")]
    [InlineData("prs=many", "prs=many: expected a whole number")]
    [InlineData("tails=1", "tails=1: expected none, normal or heavy")]
    [InlineData("repos", "must be KEY=VALUE")]
    [InlineData("big_body=maybe", "expected true or false")]
    public void Parse_BadInput_ThrowsWithClearMessage(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SyntheticSpec.Parse(text));

        Assert.Contains(expected, error.Message);
    }
}
