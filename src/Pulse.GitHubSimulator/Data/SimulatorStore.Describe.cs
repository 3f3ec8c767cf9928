using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

internal sealed partial class SimulatorStore
{
    /// <summary>The PR's connections: a webhook carries the PR's own fields, never its lists.</summary>
    private static readonly HashSet<string> Connections = new(StringComparer.Ordinal) { "commits", "reviews", "comments", "reviewThreads", "timelineItems", "files", "labels" };

    /// <inheritdoc />
    public JsonObject? Describe(string owner, string repo, long number, string? childId)
    {
        Lock.EnterReadLock();
        try
        {
            if (FindRepository(owner, repo) is not { } repository || repository.ByNumber.GetValueOrDefault(number) is not { } pr) return null;
            var own = new JsonObject();
            foreach (var (key, value) in pr)
                if (!Connections.Contains(key)) own[key] = value?.DeepClone();
            var repoFields = new JsonObject
            {
                ["id"] = repository.Json["id"]?.DeepClone(), ["databaseId"] = repository.Json["databaseId"]?.DeepClone(),
                ["name"] = repository.Json["name"]?.DeepClone(), ["nameWithOwner"] = repository.NameWithOwner,
                ["isPrivate"] = repository.Json["isPrivate"]?.DeepClone(), ["owner"] = repository.Owner.Login,
            };
            var described = new JsonObject { ["repository"] = repoFields, ["pullRequest"] = own };
            if (childId is not null && FindById(childId) is { } child) described["child"] = child.Json.DeepClone();
            return described;
        }
        finally
        {
            Lock.ExitReadLock();
        }
    }
}
