using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Validation;

/// <summary>
/// Pulse's timeline and label units, with the fragments Pulse sends (read from its source): the timeline fragment repeats
/// response names (id, createdAt, actor, login) across the event types, which the proof accepts only for the same field.
/// </summary>
public partial class ProvablyValidTests
{
    private static readonly (string Query, JsonObject Variables) TimelineQuery = PulseTimelineQuery();

    [Fact]
    public void Check_PulseTimelineAndLabelUnits_ProvenAndValid()
    {
        var (query, variables) = TimelineQuery;
        Assert.True(Proven(query, variables));
        Assert.Empty(GraphQLNetErrors(query, variables));
    }

    public static TheoryData<string, string, string> RepeatedNameConflicts => new()
    {
        // (what is changed, text replaced in the timeline query, its replacement): one parent type, two different fields
        { "one name with different arguments", "labelPage: labels(first: 100", "labels(first: 100" },
        { "one name for two fields", "u0: node(id: $i0) { ... on PullRequest { ", "u0: node(id: $i0) { ... on PullRequest { id: number " },
    };

    [Theory]
    [MemberData(nameof(RepeatedNameConflicts))]
    public void Check_RepeatedNameThatConflicts_NotProvenAndRejected(string change, string original, string replacement)
    {
        var query = Edited(original, replacement);
        Assert.False(Proven(query, TimelineQuery.Variables), change);
        Assert.NotEmpty(GraphQLNetErrors(query, TimelineQuery.Variables));
    }

    /// <summary>
    /// A name used for fields that are not the same field is never proven, whatever GraphQL.NET then says (on different object
    /// types the spec asks only for the same response shape; GraphQL.NET decides and words any error).
    /// </summary>
    [Theory]
    [InlineData("... on MergedEvent { id createdAt", "... on MergedEvent { id: createdAt createdAt")]
    [InlineData("... on User { login }", "... on User { login: name }")]
    [InlineData("... on ClosedEvent { id createdAt actor", "... on ClosedEvent { id createdAt: actor { login } actor")]
    [InlineData("... on MergedEvent { id createdAt actor { __typename login } }", "... on MergedEvent { id createdAt actor { login } }")]
    [InlineData("... on MergedEvent { id createdAt actor { __typename login } }", "... on MergedEvent { id createdAt actor { login __typename } }")]
    public void Check_RepeatedNameNotTheSameField_NotProven(string original, string replacement) =>
        Assert.False(Proven(Edited(original, replacement), TimelineQuery.Variables));

    private static string Edited(string original, string replacement)
    {
        Assert.Contains(original, TimelineQuery.Query);
        return TimelineQuery.Query.Replace(original, replacement);
    }

    private static (string Query, JsonObject Variables) PulseTimelineQuery()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "src", "Pulse.Core", "Extract", "Queries");
        var fragments = string.Join("\n", new[] { "PullRequestFields", "TimelineEventFields", "LabelFields" }
            .Select(name => File.ReadAllText(Path.Combine(folder, name + ".graphql"))));
        const string ItemTypes = "READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT, "
            + "HEAD_REF_FORCE_PUSHED_EVENT, MERGED_EVENT, CLOSED_EVENT, REOPENED_EVENT";
        var query = "query Pulse($i0: ID!, $c0: String, $i1: ID!, $c1: String) {\n"
            + $"  u0: node(id: $i0) {{ ... on PullRequest {{ ...PullRequestFields timelineItems(first: 100, after: $c0, itemTypes: [{ItemTypes}]) "
            + "{ filteredCount pageInfo { hasNextPage endCursor } nodes { ...TimelineEventFields } } } }\n"
            + "  u1: node(id: $i1) { ... on PullRequest { ...PullRequestFields labelPage: labels(first: 100, after: $c1) "
            + "{ totalCount pageInfo { hasNextPage endCursor } nodes { ...LabelFields } } } }\n"
            + "  rateLimit { cost limit remaining used resetAt nodeCount }\n}\n" + fragments;
        return (query, new JsonObject { ["i0"] = "PR_0", ["c0"] = "Y3Vyc29yOnYyOjEwMA==", ["i1"] = "PR_1", ["c1"] = null });
    }
}
