using System.Text.Json;
using Pulse.GitHubSimulator.Fixtures;

namespace Pulse.Core.Tests.Transform;

/// <summary>
/// GitHub's own answers as third_party/github-fixtures recorded them: mergestat-lite's go-vcr cassettes and gh-talk's captured
/// responses. The replay tests hand their nodes to the mappers untouched.
/// </summary>
internal static class RecordedPages
{
    private static readonly string Root = Path.Combine(FindRepository(), "third_party", "github-fixtures");

    /// <summary>The <c>data.repository</c> object of a cassette's <paramref name="interaction"/>-th answer.</summary>
    public static JsonElement MergestatRepository(string cassette, int interaction = 0)
    {
        var recorded = MergestatCassettes.Read(Path.Combine(Root, "mergestat-vcr-graphql", cassette + ".yaml"))[interaction];
        return JsonDocument.Parse(recorded.Response.ToJsonString()).RootElement.GetProperty("data").GetProperty("repository");
    }

    /// <summary>The <c>data.repository.pullRequest</c> object of a gh-talk response file.</summary>
    public static JsonElement GhTalkPullRequest(string file) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "gh-talk-graphql", file + ".json"))).RootElement
            .GetProperty("data").GetProperty("repository").GetProperty("pullRequest");

    public static IReadOnlyList<JsonElement> Nodes(JsonElement connection) => [.. connection.GetProperty("nodes").EnumerateArray()];

    private static string FindRepository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pulse.slnx not found above the test assembly.");
    }
}
