using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>One recorded request and GitHub's answer.</summary>
public sealed record RecordedInteraction(string Query, JsonObject? Variables, int Status, JsonObject Response, DateTimeOffset? RecordedAt);

/// <summary>Reads go-vcr cassettes (mergestat-lite's fixtures) and converts their answers into a data set.</summary>
public static class MergestatCassettes
{
    private sealed class Cassette { public List<Interaction> Interactions { get; set; } = []; }
    private sealed class Interaction { public Message Request { get; set; } = new(); public Message Response { get; set; } = new(); }
    private sealed class Message
    {
        public string Body { get; set; } = "";
        public Dictionary<string, List<string>> Headers { get; set; } = [];
        public int Code { get; set; }
    }

    public static IReadOnlyList<RecordedInteraction> Read(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).IgnoreUnmatchedProperties().Build();
        var cassette = deserializer.Deserialize<Cassette>(File.ReadAllText(path));
        return [.. cassette.Interactions.Select(i =>
        {
            var request = (JsonObject)JsonNode.Parse(i.Request.Body)!;
            DateTimeOffset? at = i.Response.Headers.TryGetValue("Date", out var date) && date.Count > 0
                && DateTimeOffset.TryParse(date[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
            return new RecordedInteraction((string)request["query"]!, request["variables"] as JsonObject,
                i.Response.Code, (JsonObject)JsonNode.Parse(i.Response.Body)!, at);
        })];
    }

    /// <summary>Adds the repository, pull request and issue data of every answer in <paramref name="directory"/>'s *.yaml.</summary>
    internal static DateTimeOffset AddTo(DatasetBuilder builder, string directory)
    {
        var latest = DateTimeOffset.UnixEpoch;
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
            foreach (var interaction in Read(file))
            {
                if (interaction.RecordedAt > latest) latest = interaction.RecordedAt.Value;
                AddAnswer(builder, interaction);
            }
        return latest;
    }

    private static void AddAnswer(DatasetBuilder builder, RecordedInteraction interaction)
    {
        if (interaction.Response["data"]?["repository"] is not JsonObject recorded) return;
        // The repository is stored under the name it was asked by, so a replay finds it even after a rename.
        var owner = (string?)interaction.Variables?["owner"] ?? (string?)recorded["owner"]?["login"] ?? throw new ArgumentException("A recorded request names no owner.");
        var name = (string?)interaction.Variables?["name"] ?? (string?)recorded["name"] ?? throw new ArgumentException("A recorded request names no repository.");
        var repository = (JsonObject)RecordedConnections.Flatten(recorded)!;
        builder.MergeRepositoryFields(owner, name, repository);
        if (repository["pullRequests"] is JsonArray prs)
            foreach (var pr in prs.OfType<JsonObject>().Where(p => p.ContainsKey("number"))) builder.MergePullRequest(owner, name, pr);
        if (repository["pullRequest"] is JsonObject single) builder.MergePullRequest(owner, name, single);
        if (repository["issue"] is JsonObject issue) builder.MergeRepositoryItem(owner, name, "issues", issue);
    }
}
