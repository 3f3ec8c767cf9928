using System.Text.Json.Nodes;

namespace Pulse.Core.Extract;

/// <summary>A query ready to send, with the cost GitHub's rule predicts for it.</summary>
public sealed record PlannedQuery(string Text, JsonObject Variables, IReadOnlyList<FetchUnit> Units, long Requests, long PossibleNodes)
{
    public int Points => CostRule.Points(Requests);
}
