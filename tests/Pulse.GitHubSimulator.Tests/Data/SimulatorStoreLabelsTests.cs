using System.Net;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.TimelineDataSet;

namespace Pulse.GitHubSimulator.Tests.Data;

/// <summary>/_sim/mutate's label operations over HTTP: a label belongs to its repository, so a name in use keeps its node.</summary>
public sealed class SimulatorStoreLabelsTests
{
    private static JsonObject Op(string op, JsonNode label) =>
        new() { ["op"] = op, ["owner"] = "acme", ["repo"] = "widgets", ["number"] = 2, ["label"] = label };

    private static async Task<string> LabelsAsync(LiveSimulator sim)
    {
        var answer = await sim.QueryAsync("{ repository(owner: \"acme\", name: \"widgets\") { pullRequest(number: 2) { updatedAt labels(first: 10) { totalCount nodes { id name color } } } } }");
        Assert.True(answer["errors"] is null, answer.ToJsonString());
        return answer["data"]!["repository"]!["pullRequest"]!["labels"]!.ToJsonString();
    }

    [Fact]
    public async Task Mutate_AddExistingAndNewLabelThenRemove_LabelsFollowAndARepositoryLabelKeepsItsNode()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var (status, body) = await sim.MutateAsync(Op("add_label", "docs"));
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        (status, body) = await sim.MutateAsync(Op("add_label", new JsonObject { ["name"] = "webhook", ["color"] = "0e8a16" }));
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        var added = (string)body["label"]!["id"]!;
        Assert.Equal($$"""{"totalCount":2,"nodes":[{"id":"LA_T2","name":"docs","color":"0075ca"},{"id":"{{added}}","name":"webhook","color":"0e8a16"}]}""", await LabelsAsync(sim));

        (status, body) = await sim.MutateAsync(Op("remove_label", "docs"));
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal($$"""{"totalCount":1,"nodes":[{"id":"{{added}}","name":"webhook","color":"0e8a16"}]}""", await LabelsAsync(sim));
    }

    [Theory]
    [InlineData("add_label", "\"webhook2\"", "add_label: acme/widgets has no label \"webhook2\"; a new one needs {\"name\", \"color\"}.")]
    [InlineData("remove_label", "\"bug\"", "remove_label: #2 has no label \"bug\".")]
    [InlineData("add_label", "{}", "add_label needs a \"label\": a name, or an object with name and color.")]
    public async Task Mutate_LabelChangeGitHubCannotMake_400SayingWhy(string op, string label, string error)
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var (status, body) = await sim.MutateAsync(Op(op, JsonNode.Parse(label)!));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, (string?)body["message"]);
    }
}
