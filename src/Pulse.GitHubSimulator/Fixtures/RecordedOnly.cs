using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// A converted data set reduced to what was recorded, for syncing it end to end: placeholder items
/// (which only make a replay report the recorded totalCount) are dropped, and the node ids a
/// recording did not select are derived from what it did record (marked "recorded"), since GitHub
/// gives every node one and a client keys rows by them.
/// </summary>
public static class RecordedOnly
{
    private static readonly (string Field, string Prefix)[] Connections =
        [("commits", "PURC"), ("reviews", "PRR"), ("comments", "IC"), ("reviewThreads", "PRRT")];

    public static JsonObject Reduce(JsonObject dataset)
    {
        MergeRenamedRepositoryCopies(dataset);
        foreach (var repo in (dataset["repositories"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var fullName = $"{repo["owner"]}_{repo["name"]}";
            repo["id"] ??= $"R_recorded_{fullName}";
            foreach (var pr in (repo["pullRequests"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var prId = (string?)pr["id"] ?? $"PR_recorded_{fullName}_{pr["number"]}";
                pr["id"] = prId;
                pr["updatedAt"] ??= pr["createdAt"]?.DeepClone();
                foreach (var (field, prefix) in Connections)
                {
                    if (pr[field] is not JsonArray items) continue;
                    var kept = items.OfType<JsonObject>().Where(Recorded).Select(i => (JsonObject)i.DeepClone()).ToList();
                    for (var i = 0; i < kept.Count; i++)
                    {
                        var key = (string?)kept[i]["commit"]?["oid"] ?? kept[i]["databaseId"]?.ToJsonString() ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        kept[i]["id"] ??= $"{prefix}_recorded_{prId}_{key}";
                        if (field == "reviewThreads" && kept[i]["comments"] is JsonArray threadComments)
                            kept[i]["comments"] = new JsonArray([.. threadComments.OfType<JsonObject>().Where(Recorded).Select(c => c.DeepClone())]);
                    }
                    pr[field] = new JsonArray([.. kept]);
                }
            }
        }
        return dataset;
    }

    /// <summary>
    /// A renamed repository (askgitdev/askgit became mergestat/mergestat) was recorded under both names:
    /// the same PR node id then appears twice. GitHub has one node: keep the first copy, with the
    /// connections only the other copy recorded.
    /// </summary>
    private static void MergeRenamedRepositoryCopies(JsonObject dataset)
    {
        var seen = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var repo in (dataset["repositories"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (repo["pullRequests"] is not JsonArray prs) continue;
            foreach (var pr in prs.OfType<JsonObject>().ToList())
            {
                if ((string?)pr["id"] is not { } id) continue;
                if (!seen.TryGetValue(id, out var first)) { seen[id] = pr; continue; }
                foreach (var (field, _) in Connections)
                    if (pr[field] is JsonArray other && other.OfType<JsonObject>().Any(Recorded)
                        && (first[field] is not JsonArray mine || !mine.OfType<JsonObject>().Any(Recorded)))
                        first[field] = other.DeepClone();
                prs.Remove(pr);
            }
        }
    }

    /// <summary>A placeholder carries nothing a recording said about the item itself.</summary>
    private static bool Recorded(JsonObject item) =>
        item.ContainsKey("id") || item.ContainsKey("databaseId") || item.ContainsKey("commit") || item.ContainsKey("body");
}
