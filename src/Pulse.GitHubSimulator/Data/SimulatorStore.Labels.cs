using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// Labelling a pull request. A label belongs to its repository: adding a name the repository already uses puts that label
/// (its node) on the PR; a new name needs its colour (GitHub's Label.color is non-null) and gets a new node. GitHub's
/// Labeled/UnlabeledEvents are not kept: the timeline here holds only the event types DATASET.md names.
/// </summary>
internal sealed partial class SimulatorStore
{
    /// <summary>The label operations of <see cref="Apply"/>; false when <paramref name="op"/> is none of them.</summary>
    private bool ApplyLabels(string op, JsonObject mutation, RepositoryRecord repo, JsonObject pr, JsonObject result)
    {
        if (op is not ("add_label" or "remove_label")) return false;
        var name = mutation["label"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var n) => n,
            JsonObject o when o["name"] is JsonValue v && v.TryGetValue<string>(out var n) => n,
            _ => null,
        } ?? throw new ArgumentException($"{op} needs a \"label\": a name, or an object with name and color.");
        if (pr["labels"] is not JsonArray labels) pr["labels"] = labels = [];
        var present = labels.OfType<JsonObject>().FirstOrDefault(l => (string?)l["name"] == name);
        if (op == "remove_label")
        {
            Require(present is not null, $"remove_label: #{pr["number"]} has no label \"{name}\".");
            labels.Remove(present);
            result["label"] = present!.DeepClone();
            return true;
        }
        Require(present is null, $"add_label: #{pr["number"]} has the label \"{name}\" already.");
        var label = repo.PullRequests.SelectMany(p => p["labels"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(l => (string?)l["name"] == name)?.DeepClone().AsObject();
        if (label is null)
        {
            var color = (mutation["label"] as JsonObject)?["color"] is JsonValue c && c.TryGetValue<string>(out var given) ? given
                : throw new ArgumentException($"add_label: {repo.NameWithOwner} has no label \"{name}\"; a new one needs {{\"name\", \"color\"}}.");
            label = new JsonObject { ["id"] = $"LA_sim_{++_nextSimId}", ["name"] = name, ["color"] = color };
            IndexChild(label, "Label");
        }
        labels.Add(label);
        result["label"] = label.DeepClone();
        return true;
    }
}
