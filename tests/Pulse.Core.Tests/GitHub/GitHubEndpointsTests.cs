using Pulse.Core.GitHub;

namespace Pulse.Core.Tests.GitHub;

public sealed class GitHubEndpointsTests
{
    [Theory]
    [InlineData("https://ghe.example.com")]
    [InlineData("https://ghe.example.com/")]
    [InlineData("https://ghe.example.com/api/graphql")]
    [InlineData("https://ghe.example.com/api/v3")]
    [InlineData("https://ghe.example.com/api/v3/")]
    [InlineData("https://ghe.example.com/api")]
    public void Parse_EnterpriseServerForms_NormaliseToOneLayout(string typed)
    {
        var endpoints = GitHubEndpoints.Parse(typed);

        Assert.Equal("https://ghe.example.com/api/graphql", endpoints.GraphQL.ToString());
        Assert.Equal("https://ghe.example.com/api/v3/", endpoints.Rest.ToString());
        Assert.True(endpoints.IsEnterprise);
    }

    [Theory]
    [InlineData("https://api.github.com")]
    [InlineData("https://api.github.com/graphql")]
    [InlineData("https://github.com")]
    public void Parse_GitHubDotCom_IsApiGitHubCom(string typed)
    {
        var endpoints = GitHubEndpoints.Parse(typed);

        Assert.Equal(GitHubEndpoints.DotCom, endpoints);
        Assert.False(endpoints.IsEnterprise);
    }

    [Fact]
    public void Parse_UrlEndingInGraphql_KeepsGitHubComLayoutBesideIt()
    {
        var endpoints = GitHubEndpoints.Parse("http://127.0.0.1:5099/graphql");

        Assert.Equal("http://127.0.0.1:5099/graphql", endpoints.GraphQL.ToString());
        Assert.Equal("http://127.0.0.1:5099/", endpoints.Rest.ToString());
    }

    [Theory]
    [InlineData("ghe.example.com", "must be an http(s) URL")]
    [InlineData("https://ghe.example.com/something/else", "names no GitHub API")]
    public void Parse_NotAGitHubUrl_SaysWhyInOneLine(string typed, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => GitHubEndpoints.Parse(typed));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
