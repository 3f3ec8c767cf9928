using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// gh-talk's raw GraphQL answers ({"data":{"repository":{"pullRequest"|"issue":...}}}). The owner,
/// name and number come from the object's url; an answer without one belongs to the pull request
/// of the answer before it (the files are snapshots of the same PR).
/// </summary>
internal static partial class GhTalkResponses
{
    [GeneratedRegex(@"^https://github\.com/(?<owner>[^/]+)/(?<name>[^/]+)/(?<kind>pull|issues)/(?<number>\d+)")]
    private static partial Regex ObjectUrl();

    internal static DateTimeOffset AddTo(DatasetBuilder builder, string directory)
    {
        var latest = DateTimeOffset.UnixEpoch;
        (string Owner, string Name, long Number)? last = null;
        // Full answers first, so the partial snapshots can borrow their url.
        foreach (var file in Directory.GetFiles(directory, "*.json").OrderBy(f => f.Contains("full", StringComparison.Ordinal) ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal))
        {
            var repository = JsonNode.Parse(File.ReadAllText(file))?["data"]?["repository"] as JsonObject;
            if (repository is null) continue;
            foreach (var (kind, value) in repository)
            {
                if (value is not JsonObject recorded) continue;
                var item = (JsonObject)RecordedConnections.Flatten(recorded)!;
                var match = ObjectUrl().Match((string?)item["url"] ?? "");
                if (match.Success)
                    last = (match.Groups["owner"].Value, match.Groups["name"].Value, long.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture));
                if (last is not { } target) continue;
                item["number"] ??= target.Number;
                if (kind == "pullRequest") builder.MergePullRequest(target.Owner, target.Name, item);
                else if (kind == "issue") builder.MergeRepositoryItem(target.Owner, target.Name, "issues", item);
                foreach (var stamp in new[] { "updatedAt", "createdAt" })
                    if (DateTimeOffset.TryParse((string?)item[stamp], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t > latest) latest = t;
            }
        }
        return latest.AddMinutes(1);
    }
}
