using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core.Storage;
using Pulse.Core.Webhooks;

namespace Pulse.Core.Tests.Webhooks;

/// <summary>The receiver's parsing over GitHub's own example payloads (@octokit/webhooks-examples, third_party/octokit-webhooks-examples).</summary>
public sealed class WebhookEventsTests
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "Webhooks", "Examples");

    public static TheoryData<string> PullRequestExamples => new(Directory.GetFiles(Examples, "pull_request*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(PullRequestExamples))]
    public void Targets_EveryPullRequestEventExample_NamesItsPullRequestByNodeIdAndNumber(string file)
    {
        var payload = File.ReadAllBytes(Path.Combine(Examples, file));
        var json = JsonNode.Parse(payload)!;
        var eventName = file[..file.IndexOf('.')];

        var target = Assert.Single(WebhookEvents.Targets(eventName, payload));
        Assert.Equal(new PullRequestRef((string)json["repository"]!["node_id"]!, (string)json["pull_request"]!["node_id"]!, (int)json["pull_request"]!["number"]!), target);
        Assert.Equal((string?)json["action"], WebhookEvents.ActionOf(payload));
        Assert.Contains(eventName, WebhookEvents.Handled);
    }

    [Fact]
    public void Targets_IssueCommentExamples_NameNoPullRequest_TheyAreOnIssues()
    {
        var files = Directory.GetFiles(Examples, "issue_comment.*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var payload = File.ReadAllBytes(file);
            Assert.Null(JsonNode.Parse(payload)!["issue"]!["pull_request"]);
            Assert.Empty(WebhookEvents.Targets("issue_comment", payload));
        }
    }

    [Fact]
    public void Targets_IssueCommentOnAPullRequest_NamesItsNumber()
    {
        var json = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Examples, "issue_comment.created.1.json")))!;
        json["issue"]!["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/o/r/pulls/1" };
        var payload = JsonSerializer.SerializeToUtf8Bytes(json);

        Assert.Equal([new PullRequestRef((string)json["repository"]!["node_id"]!, Number: (int)json["issue"]!["number"]!)], WebhookEvents.Targets("issue_comment", payload));
    }

    [Fact]
    public void Targets_PushExamples_NameNothingUnlessForcedOntoABranch()
    {
        foreach (var file in Directory.GetFiles(Examples, "push.*.json"))
        {
            var json = JsonNode.Parse(File.ReadAllBytes(file))!;
            Assert.False((bool)json["forced"]!);
            Assert.Empty(WebhookEvents.Targets("push", JsonSerializer.SerializeToUtf8Bytes(json)));
            Assert.Null(WebhookEvents.ActionOf(JsonSerializer.SerializeToUtf8Bytes(json)));

            json["forced"] = true;
            var forced = WebhookEvents.Targets("push", JsonSerializer.SerializeToUtf8Bytes(json));
            var pushed = (string)json["ref"]!;
            if (pushed.StartsWith("refs/heads/", StringComparison.Ordinal))
                Assert.Equal([new PullRequestRef((string)json["repository"]!["node_id"]!, HeadRef: pushed["refs/heads/".Length..])], forced);
            else Assert.Empty(forced);   // a tag is no PR's branch
        }
    }

    [Theory]
    [InlineData("push", "{}", true)]
    [InlineData("pull_request", """{"action":"synchronize"}""", true)]
    [InlineData("pull_request", """{"action":"edited"}""", false)]
    [InlineData("issue_comment", """{"action":"created"}""", false)]
    [InlineData("pull_request_review", """{"action":"submitted"}""", false)]
    public void ChangesCommits_PushesAndSynchronize(string eventName, string payload, bool changes) =>
        Assert.Equal(changes, WebhookEvents.ChangesCommits(eventName, System.Text.Encoding.UTF8.GetBytes(payload)));

    [Theory]
    [InlineData("ping")]
    [InlineData("issues")]
    [InlineData("star")]
    public void Targets_EventsPulseDoesNotActOn_NotHandled(string eventName) => Assert.DoesNotContain(eventName, WebhookEvents.Handled);

    [Fact]
    public void ActionOf_NotAJsonObject_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => WebhookEvents.ActionOf("[1,2]"u8));
        Assert.ThrowsAny<JsonException>(() => WebhookEvents.ActionOf("{not json"u8));
    }
}
