using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>Turns character offsets in the query text into GitHub's 1-based {line, column}.</summary>
internal sealed class LineMap(string text)
{
    private readonly int[] _lineStarts = [0, .. text.Select((c, i) => (c, i)).Where(x => x.c == '\n').Select(x => x.i + 1)];

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
