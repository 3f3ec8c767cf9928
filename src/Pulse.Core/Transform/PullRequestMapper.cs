using Pulse.Core.Storage;
using System.Text.Json;
using Pulse.Core.Embed;

namespace Pulse.Core.Transform;

public static class PullRequestMapper
{
    public static PullRequestRow Map(JsonElement pr, long repositoryId)
    {
        var title = TextNormalizer.Clean(pr.Str("title")) ?? "";
        var body = TextNormalizer.Clean(pr.Str("body"));
        return new PullRequestRow(
            repositoryId, pr.ReqStr("id"), pr.Long("databaseId"), pr.Int("number") ?? throw new InvalidDataException("A pull request without a number."),
            title, body, pr.Str("url"), pr.Str("state") ?? "OPEN", pr.Bool("isDraft"),
            pr.Login("author"), pr.ActorType("author"), pr.Login("mergedBy"),
            pr.Str("baseRefName"), pr.Str("headRefName"), pr.Str("baseRefOid"), pr.Str("headRefOid"),
            pr.Int("additions") ?? 0, pr.Int("deletions") ?? 0, pr.Int("changedFiles") ?? 0,
            pr.ReqDate("createdAt"), pr.ReqDate("updatedAt"), pr.Date("closedAt"), pr.Date("mergedAt"),
            pr.TotalCount("commits"), pr.TotalCount("reviews"), pr.TotalCount("comments"), pr.TotalCount("reviewThreads"),
            ContentHash.Of(EmbeddingText.PullRequest(title, body)));
    }
}
