using System.Globalization;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// Apache DevLake's raw tables: _raw_github_graphql_prs.csv holds one GitHub GraphQL pull
/// request per row in DevLake's Go field names (PascalCase); _tool_github_repos2.csv lists repositories.
/// </summary>
internal static class DevLakeRawTables
{
    /// <summary>DevLake's Go names that are not simply GitHub's name capitalised.</summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["HtmlUrl"] = "url", ["Id"] = "databaseId",
    };

    internal static DateTimeOffset AddTo(DatasetBuilder builder, string directory)
    {
        var latest = DateTimeOffset.UnixEpoch;
        var repos = Path.Combine(directory, "_tool_github_repos2.csv");
        if (File.Exists(repos))
        {
            using var reader = new StreamReader(repos);
            foreach (var row in CsvReader.ReadRecords(reader))
            {
                var (owner, name) = Split(row["full_name"]);
                builder.MergeRepositoryFields(owner, name, new JsonObject
                {
                    ["databaseId"] = long.Parse(row["github_id"], CultureInfo.InvariantCulture),
                    // DevLake recorded no node id: derive a stable one so every repository is its own node.
                    ["id"] = $"R_recorded_{row["github_id"]}",
                    ["url"] = row["html_url"], ["description"] = row["description"],
                    ["createdAt"] = Time(row["created_date"]), ["updatedAt"] = Time(row["updated_date"]),
                });
            }
        }
        var prs = Path.Combine(directory, "_raw_github_graphql_prs.csv");
        if (File.Exists(prs))
        {
            using var reader = new StreamReader(prs);
            foreach (var row in CsvReader.ReadRecords(reader))
            {
                var (owner, name) = Split((string)JsonNode.Parse(row["params"])!["Name"]!);
                var pr = (JsonObject)RecordedConnections.Flatten(CamelCase(JsonNode.Parse(row["data"])))!;
                AddMissingIds(pr);
                builder.MergePullRequest(owner, name, pr);
                if (DateTimeOffset.TryParse((string?)pr["updatedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated) && updated > latest)
                    latest = updated;
            }
        }
        return latest.AddMinutes(1);
    }

    /// <summary>
    /// DevLake's query selected databaseIds but not node ids, while GitHub gives every node an id and
    /// node(id:) needs one: derive a stable id from what was recorded (marked "recorded" so it is never
    /// mistaken for a real GitHub id).
    /// </summary>
    private static void AddMissingIds(JsonObject pr)
    {
        static string Key(JsonNode? n) => n?.ToJsonString().Trim('"') ?? Guid.NewGuid().ToString("N");
        pr["id"] ??= $"PR_recorded_{Key(pr["databaseId"])}";
        foreach (var (field, prefix) in new[] { ("commits", "PURC"), ("reviews", "PRR"), ("comments", "IC"), ("reviewThreads", "PRRT") })
        {
            if (pr[field] is not JsonArray items) continue;
            var i = 0;
            foreach (var item in items.OfType<JsonObject>())
            {
                // A placeholder past the recorded page (DevLake kept the first 100 of 115 commits): make it a
                // commit of its own, with a derived oid, so the connection holds totalCount distinct commits.
                if (field == "commits" && item["commit"] is null)
                    item["commit"] = new JsonObject
                    {
                        ["oid"] = DerivedOid($"{Key(pr["databaseId"])}:{i}"),
                        ["message"] = $"Commit {i + 1} of {items.Count}: not in the recording",
                    };
                var key = item["databaseId"] ?? item["commit"]?["oid"];
                item["id"] ??= $"{prefix}_recorded_{Key(pr["databaseId"])}_{(key is null ? i.ToString(CultureInfo.InvariantCulture) : Key(key))}";
                i++;
            }
        }
    }

    private static string DerivedOid(string seed) =>
        System.Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));

    /// <summary>PascalCase keys to GitHub's camelCase (DatabaseId → databaseId), recursively.</summary>
    internal static JsonNode? CamelCase(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Key(p.Key), CamelCase(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(CamelCase)]),
        _ => node?.DeepClone(),
    };

    private static string Key(string key) =>
        Renamed.TryGetValue(key, out var renamed) ? renamed : key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];

    private static (string Owner, string Name) Split(string fullName)
    {
        var parts = fullName.Split('/', 2);
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new ArgumentException($"Repository name '{fullName}' is not OWNER/NAME.");
    }

    private static string Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
