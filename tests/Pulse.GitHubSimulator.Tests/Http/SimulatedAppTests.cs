using Pulse.GitHubSimulator.Http;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class SimulatedAppTests
{
    [Theory]
    [InlineData(3, 0, 5_000, 5_150)]       // GitHub's rule: 5,000 + 50 per repository
    [InlineData(10, 30, 5_000, 6_000)]     // + 50 per user beyond 20
    [InlineData(150, 0, 5_000, 12_500)]    // capped at 12,500
    [InlineData(150, 0, 2, 5)]             // a user budget of 2 (a bench's): the installation keeps GitHub's 2.5 times a user's
    [InlineData(3, 0, 1_000, 1_030)]
    [InlineData(150, 0, 20_000, 12_500)]   // a user budget above GitHub's never makes an installation's kinder than GitHub's rule
    public void PointsPerHour_RepositoriesUsersAndUserBudget_FollowsGitHubsRuleScaledDownOnly(int repositories, int users, int userPoints, int expected) =>
        Assert.Equal(expected, SimulatedApp.PointsPerHour(repositories, users, userPoints));
}
