using System.Text.Json;
using Pulse.Core.Storage;

namespace Pulse.Core.Transform;

public static class LabelMapper
{
    public static LabelRow Map(JsonElement label, string pullRequestNodeId) =>
        new(pullRequestNodeId, label.ReqStr("id"), TextNormalizer.Clean(label.Str("name")) ?? "");
}
