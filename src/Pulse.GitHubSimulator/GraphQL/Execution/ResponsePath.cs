using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// The response path of the value being completed, as one stack pushed and popped while walking
/// (a copied list per field and list item was most of the executor's garbage). Errors copy it.
/// </summary>
internal sealed class ResponsePath
{
    private readonly List<(string? Key, int Index)> _segments = [];

    public int Depth => _segments.Count;

    public void Push(string key) => _segments.Add((key, 0));

    public void Push(int index) => _segments.Add((null, index));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public JsonArray ToJson()
    {
        var array = new JsonArray();
        foreach (var (key, index) in _segments) array.Add(key is null ? JsonValue.Create(index) : JsonValue.Create(key));
        return array;
    }
}
