using Pulse.Core.Storage;
using System.Text.Json;
using Pulse.Core.Embed;

namespace Pulse.Core.Transform;

public static class CommitMapper
{
    /// <summary>Maps a PullRequestCommit node (its <c>commit</c> holds the git data).</summary>
    public static CommitRow Map(JsonElement node, string pullRequestNodeId)
    {
        var commit = node.Prop("commit") ?? throw new InvalidDataException("A pull request commit without its commit.");
        var message = TextNormalizer.Clean(commit.Str("message")) ?? "";
        var author = commit.Prop("author");
        var committer = commit.Prop("committer");
        return new CommitRow(
            pullRequestNodeId, commit.ReqStr("oid"), message,
            TextNormalizer.Clean(author?.Str("name")), author?.Str("email"), author?.Prop("user")?.Str("login"),
            TextNormalizer.Clean(committer?.Str("name")), committer?.Str("email"), committer?.Prop("user")?.Str("login"),
            commit.Date("authoredDate") ?? author?.Date("date"), commit.Date("committedDate") ?? committer?.Date("date"),
            commit.Int("additions"), commit.Int("deletions"),
            ContentHash.Of(EmbeddingText.Commit(message)));
    }
}
