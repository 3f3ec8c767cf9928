using System.Text.Json.Nodes;
using Pulse.Core.GitHub;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Sync;

/// <summary>The <c>github_repositories</c> job: the owner's repositories, filtered by the integration's name rules.</summary>
public sealed class RepositoryDiscovery(IRepositoryStore repositories)
{
    private const string Query = """
        query Discover($owner: String!, $cursor: String) {
          repositoryOwner(login: $owner) {
            login
            repositories(first: 100, after: $cursor) {
              totalCount
              pageInfo { hasNextPage endCursor }
              nodes {
                id databaseId name owner { login } description isPrivate isArchived isFork
                defaultBranchRef { name } primaryLanguage { name } createdAt updatedAt pushedAt
              }
            }
          }
          rateLimit { cost remaining resetAt }
        }
        """;

    public async Task<int> DiscoverAsync(Integration integration, GitHubConnection connection, IRateLimitPauseListener pause, CancellationToken ct)
    {
        string? cursor = null;
        var found = new List<RepositoryRow>();
        do
        {
            using var response = await SendAsync(connection, new JsonObject { ["owner"] = integration.Owner, ["cursor"] = cursor }, pause, ct);
            var owner = response.Data.Prop("repositoryOwner")
                ?? throw new GitHubQueryException($"GitHub has no user or organisation named '{integration.Owner}'.");
            var page = owner.Prop("repositories") ?? throw new GitHubQueryException($"GitHub listed no repositories for '{integration.Owner}'.");
            // A repository GitHub could not answer is a null among the nodes: listing without it would silently drop it.
            if (response.Errors.Count > 0)
                throw new GitHubQueryException($"GitHub answered the repository listing of '{integration.Owner}' with an error: {response.Errors[0].Message}");
            foreach (var r in page.Nodes())
            {
                var name = r.ReqStr("name");
                if (!integration.Settings.Includes(name)) continue;
                found.Add(new RepositoryRow(r.ReqStr("id"), r.Long("databaseId"), r.Prop("owner")?.Str("login") ?? integration.Owner, name,
                    TextNormalizer.Clean(r.Str("description")), r.Bool("isPrivate"), r.Bool("isArchived"), r.Bool("isFork"),
                    r.Prop("defaultBranchRef")?.Str("name"), r.Prop("primaryLanguage")?.Str("name"), r.Date("createdAt"), r.Date("updatedAt"), r.Date("pushedAt")));
            }
            var pageInfo = page.Prop("pageInfo");
            cursor = pageInfo?.Bool("hasNextPage") == true ? pageInfo.Value.Str("endCursor") : null;
        }
        while (cursor is not null);
        await repositories.UpsertAsync(integration.TenantId, integration.Id, found, ct);
        return found.Count;
    }

    /// <summary>One page on the account with the most budget left; a pool token GitHub refuses is set aside and the page asked again.</summary>
    private static async Task<GraphQLResponse> SendAsync(GitHubConnection connection, JsonObject variables, IRateLimitPauseListener pause, CancellationToken ct)
    {
        while (true)
        {
            var lane = connection.Pick();
            await lane.Budget.WaitForAsync(1, pause, ct);
            try
            {
                return await lane.SendAsync(connection, Query, variables, ct);
            }
            catch (GitHubTokenSetAsideException)
            {
            }
        }
    }
}
