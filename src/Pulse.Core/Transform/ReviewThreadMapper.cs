using Pulse.Core.Storage;
using System.Text.Json;

namespace Pulse.Core.Transform;

public static class ReviewThreadMapper
{
    public static ReviewThreadRow Map(JsonElement thread, string pullRequestNodeId) => new(
        pullRequestNodeId, thread.ReqStr("id"), thread.Bool("isResolved"), thread.Bool("isOutdated"), thread.Bool("isCollapsed"),
        thread.Str("path"), thread.Int("line"), thread.Int("startLine"), thread.Str("diffSide"), thread.Login("resolvedBy"));
}
