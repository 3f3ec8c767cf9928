using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>Turns character offsets in the query text into GitHub's 1-based {line, column}.</summary>
internal sealed class LineMap(string text)
{
    private readonly int[] _lineStarts = LineStarts(text);

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1)) starts.Add(i + 1);
        return [.. starts];
    }

    public (int Line, int Column) Position(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0) index = ~index - 1;
        return (index + 1, offset - _lineStarts[index] + 1);
    }

    public JsonArray Locations(ASTNode node)
    {
        var (line, column) = Position(node.Location.Start);
        return [new JsonObject { ["line"] = line, ["column"] = column }];
    }
}
