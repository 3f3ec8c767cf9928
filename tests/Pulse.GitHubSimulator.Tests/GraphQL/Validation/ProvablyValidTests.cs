using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Pulse.GitHubSimulator.GraphQL.Validation;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Validation;

/// <summary>
/// The fast proof may skip GraphQL.NET only where GraphQL.NET finds nothing: it must prove Pulse's queries,
/// and never prove a document (or variables) that GraphQL.NET rejects.
/// </summary>
public partial class ProvablyValidTests
{
    private static readonly (string Query, JsonObject Variables) NodeQuery = PulseShapedQueries.NodeQuery(
        [.. PulseShapedQueries.NodeUnits.Select((unit, i) => ($"PR_{i}", unit, i == 0 ? "Y3Vyc29yOnYyOjEwMA==" : null))]);

    private static readonly (string Query, JsonObject Variables) PullRequestQuery =
        PulseShapedQueries.PullRequestQuery([("acme", "widgets", null), ("acme", "gadgets", "Y3Vyc29yOnYyOjEwMA==")]);

    [Fact]
    public void Check_PulseShapedQueries_ProvenAndValid()
    {
        foreach (var (query, variables) in new[] { NodeQuery, PullRequestQuery })
        {
            Assert.True(Proven(query, variables));
            Assert.Empty(GraphQLNetErrors(query, variables));
        }
    }

    public static TheoryData<string, string, string?> InvalidVariants => new()
    {
        // (what is changed, text replaced in the node query, its replacement; a null original edits variables)
        { "unknown field", "totalCount", "totalCounts" },
        { "unknown argument", "first: 100, after: $c0", "first: 100, after: $c0, foo: 1" },
        { "string for Int", "first: 100, after: $c0", "first: \"100\", after: $c0" },
        { "Int overflow", "first: 100, after: $c0", "first: 99999999999, after: $c0" },
        { "undeclared variable", "$i0: ID!, ", "" },
        { "unused variable", "$i0: ID!, ", "$i0: ID!, $unused: String, " },
        { "nullable variable in non-null position", "$i0: ID!", "$i0: ID" },
        { "variable of another type", "$c0: String", "$c0: Int" },
        { "duplicate variable", "$i0: ID!, ", "$i0: ID!, $i0: ID!, " },
        { "conflicting aliases", "u1: node(id: $i1)", "u0: node(id: $i1)" },
        { "scalar with selection", "hasNextPage endCursor", "hasNextPage { x } endCursor" },
        { "object without selection", "pageInfo { hasNextPage endCursor }", "pageInfo" },
        { "impossible fragment", "... on PullRequest { commits", "... on Repository { commits" },
        { "fragment on scalar", "fragment CommitFields on PullRequestCommit", "fragment CommitFields on String" },
        { "unknown fragment", "...CommitFields }", "...NoSuchFields }" },
        { "unknown directive", "totalCount pageInfo", "totalCount @bogus pageInfo" },
        { "required argument missing", "node(id: $i0)", "node" },
        { "null for non-null variable", "i0", null },
    };

    [Theory]
    [MemberData(nameof(InvalidVariants))]
    public void Check_InvalidVariant_NotProvenAndRejected(string change, string original, string? replacement)
    {
        var (query, variables) = NodeQuery;
        variables = (JsonObject)variables.DeepClone();
        if (replacement is null) variables[original] = null;
        else
        {
            Assert.Contains(original, query);
            query = query.Replace(original, replacement);
        }
        Assert.False(Proven(query, variables), change);
        Assert.NotEmpty(GraphQLNetErrors(query, variables));
    }

    [Theory]
    [InlineData("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: SIDEWAYS}) { totalCount } } }")]
    [InlineData("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: 1, orderBy: {direction: DESC}) { totalCount } } }")]
    [InlineData("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC, x: 1}) { totalCount } } }")]
    [InlineData("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: 1, states: [OPEN, SHUT]) { totalCount } } }")]
    [InlineData("query A { viewer { login } } query A { viewer { name } }")]
    [InlineData("{ viewer { ...F } } fragment F on User { ...G } fragment G on User { ...F }")]
    [InlineData("{ viewer { login } } fragment Unused on User { login }")]
    public void Check_InvalidLiteralsAndDefinitions_NotProvenAndRejected(string query)
    {
        Assert.False(Proven(query, null));
        Assert.NotEmpty(GraphQLNetErrors(query, null));
    }

    [Theory]
    [InlineData("totalCount pageInfo", "totalCount @skip(if: false) pageInfo")]
    [InlineData("$c0: String", "$c0: String = null")]
    public void Check_ValidButUnchecked_LeftToGraphQLNet(string original, string replacement)
    {
        var (query, variables) = NodeQuery;
        query = query.Replace(original, replacement);
        Assert.False(Proven(query, variables));
        Assert.Empty(GraphQLNetErrors(query, variables));
    }

    [Theory]
    [InlineData("""{"i0": 5}""")]
    [InlineData("""{"i0": true}""")]
    [InlineData("""{"i0": ["PR_0"]}""")]
    [InlineData("""{"c0": {"x": 1}}""")]
    [InlineData("""{"extra": "x"}""")]
    public void Check_VariableValuesOfOtherKinds_NotProven(string change)
    {
        var (query, variables) = NodeQuery;
        variables = (JsonObject)variables.DeepClone();
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject()) variables[key] = value?.DeepClone();
        Assert.False(Proven(query, variables));
    }

    [Fact]
    public void Check_RandomTokenEdits_NeverProvesWhatGraphQLNetRejects() => RandomTokenEdits(NodeQuery, seed: 20261130);

    [Fact]
    public void Check_RandomTokenEditsOfTimelineQuery_NeverProvesWhatGraphQLNetRejects() => RandomTokenEdits(TimelineQuery, seed: 20261206);

    /// <summary>1,000 random one-token edits of <paramref name="shaped"/>: every edit the proof accepts, GraphQL.NET accepts too.</summary>
    private static void RandomTokenEdits((string Query, JsonObject Variables) shaped, int seed)
    {
        var (query, variables) = shaped;
        var tokens = Token().Matches(query).Select(m => m.Value).ToArray();
        string[] pool = [.. tokens.Distinct(), "bogus", "Int", "String", "ID!", "100", "\"x\"", "@skip(if: true)", "null", "$x", "on", "...", "{", "}", "(", ")"];
        var random = new Random(seed);
        int proven = 0, tried = 0;
        for (var i = 0; i < 1000; i++)
        {
            var edited = tokens.ToList();
            var at = random.Next(edited.Count);
            switch (random.Next(3))
            {
                case 0: edited.RemoveAt(at); break;
                case 1: edited.Insert(at, pool[random.Next(pool.Length)]); break;
                default: edited[at] = pool[random.Next(pool.Length)]; break;
            }
            var text = string.Join(' ', edited);
            if (!Parses(text)) continue;
            tried++;
            if (!Proven(text, variables)) continue;
            proven++;
            Assert.Empty(GraphQLNetErrors(text, variables));
        }
        Assert.True(tried > 300, $"only {tried} edits parsed");
        Assert.True(proven > 20, $"only {proven} edits proven: the edits no longer exercise the proof");
    }

    [GeneratedRegex("""\.\.\.|\$?[_A-Za-z][_0-9A-Za-z]*!?|-?[0-9]+|"[^"]*"|[{}():\[\],!=@]""")]
    private static partial Regex Token();

    private static bool Parses(string query)
    {
        try { Parser.Parse(query); return true; }
        catch (GraphQLParserException) { return false; }
    }

    private static bool Proven(string query, JsonObject? variables) => ProvablyValid.Check(Parser.Parse(query), variables);

    private static IReadOnlyList<JsonObject> GraphQLNetErrors(string query, JsonObject? variables)
    {
        var document = Parser.Parse(query);
        var operation = document.Definitions.OfType<GraphQLOperationDefinition>().First();
        return GitHubValidator.ValidateFully(document, operation, variables, new LineMap(query));
    }
}
