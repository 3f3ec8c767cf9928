using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Synthetic;

/// <summary>A login and its GraphQL type; a null login is a deleted user ("ghost"), served as null.</summary>
internal readonly record struct SyntheticActor(string? Login, string Type)
{
    public static SyntheticActor User(string login) => new(login, "User");

    public static SyntheticActor Bot(string login) => new(login, "Bot");   // GraphQL logins have no [bot] suffix

    public JsonObject? ToJson() => Login is null ? null : new JsonObject
    {
        ["__typename"] = Type,
        ["id"] = Id(Login, Type),
        ["login"] = Login,
        ["url"] = $"https://github.com/{(Type == "Bot" ? "apps/" : "")}{Login}",
    };

    /// <summary>A stable node id per account, as GitHub gives every one (U_ for users, BOT_ for bots, M_ for mannequins).</summary>
    public static string Id(string login, string type)
    {
        var hash = 2166136261u;
        foreach (var c in login) hash = (hash ^ c) * 16777619u;
        var prefix = type switch { "Bot" => "BOT", "Mannequin" => "M", _ => "U" };
        return $"{prefix}_kgDOSy{hash:X8}";
    }

    public void Write(Utf8JsonWriter json, string property)
    {
        json.WritePropertyName(property);
        if (ToJson() is { } actor) actor.WriteTo(json);
        else json.WriteNullValue();
    }
}

/// <summary>What a pull request's timeline must agree with, gathered while the rest of the pull request is written.</summary>
internal sealed class PullRequestFacts
{
    public required string Url { get; init; }
    public required bool OrganizationOwned { get; init; }
    public required PullRequestShape Shape { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
    /// <summary>closedAt (also mergedAt for a merged pull request); null while open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
    public required SyntheticActor Author { get; init; }
    public SyntheticActor MergedBy { get; set; }
    public string? MergeCommitOid { get; set; }
    public required string HeadRefName { get; init; }
    /// <summary>The commits the pull request lists (none for a pull request without commits), oldest first.</summary>
    public List<string> CommitOids { get; } = [];
    /// <summary>The authored date of each of <see cref="CommitOids"/>.</summary>
    public List<DateTimeOffset> CommitDates { get; } = [];
    public List<(DateTimeOffset At, SyntheticActor Author)> Reviews { get; } = [];
    public DateTimeOffset? FirstCommentAt { get; set; }
}
