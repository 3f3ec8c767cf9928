using Pulse.Core.Storage;
using System.Text.Json;
using Pulse.Core.Embed;

namespace Pulse.Core.Transform;

public static class ReviewMapper
{
    public static ReviewRow Map(JsonElement review, string pullRequestNodeId)
    {
        var body = TextNormalizer.Clean(review.Str("body")) ?? "";
        return new ReviewRow(
            pullRequestNodeId, review.ReqStr("id"), review.Long("databaseId"), review.Login("author"), review.ActorType("author"),
            review.Str("state") ?? "COMMENTED", body,
            // Some recordings hold only submittedAt; a submitted review was created no later than that.
            review.Date("createdAt") ?? review.Date("submittedAt") ?? throw new InvalidDataException("A review without createdAt or submittedAt."),
            review.Date("submittedAt"), review.Date("updatedAt"),
            review.Prop("commit")?.Str("oid"), ContentHash.Of(EmbeddingText.Review(body)));
    }
}
