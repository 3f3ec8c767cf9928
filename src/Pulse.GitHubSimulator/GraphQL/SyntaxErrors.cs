using System.Text.Json.Nodes;
using GraphQLParser.Exceptions;

namespace Pulse.GitHubSimulator.GraphQL;

/// <summary>graphql-ruby's parse error: <c>Parse error on "}" (RCURLY) at [1, 5]</c>, from GraphQL-Parser's position.</summary>
internal static class SyntaxErrors
{
    private static readonly Dictionary<char, string> Punctuators = new()
    {
        ['{'] = "LCURLY", ['}'] = "RCURLY", ['('] = "LPAREN", [')'] = "RPAREN", ['['] = "LBRACKET", [']'] = "RBRACKET",
        [':'] = "COLON", ['='] = "EQUALS", ['@'] = "DIR_SIGN", ['$'] = "VAR_SIGN", ['!'] = "BANG", ['|'] = "PIPE", ['&'] = "AMP",
    };

    public static JsonObject From(GraphQLParserException e, string query)
    {
        var location = new JsonArray(new JsonObject { ["line"] = e.Location.Line, ["column"] = e.Location.Column });
        var offset = OffsetOf(query, e.Location.Line, e.Location.Column);
        var (token, kind) = TokenAt(query, offset);
        var message = kind is null ? "Unexpected end of document" : $"Parse error on \"{token}\" ({kind}) at [{e.Location.Line}, {e.Location.Column}]";
        return new JsonObject { ["message"] = message, ["locations"] = location };
    }

    private static int OffsetOf(string text, int line, int column)
    {
        var offset = 0;
        for (var l = 1; l < line && offset < text.Length; offset++)
            if (text[offset] == '\n') l++;
        return Math.Min(text.Length, offset + column - 1);
    }

    private static (string Token, string? Kind) TokenAt(string text, int offset)
    {
        if (offset >= text.Length) return ("", null);
        var c = text[offset];
        if (Punctuators.TryGetValue(c, out var kind)) return (c.ToString(), kind);
        if (text.AsSpan(offset).StartsWith("...")) return ("...", "ELLIPSIS");
        if (c == '"')
        {
            var end = text.IndexOf('"', offset + 1);
            return (end < 0 ? text[offset..] : text[(offset + 1)..end], "STRING");
        }
        var stop = offset;
        while (stop < text.Length && (char.IsLetterOrDigit(text[stop]) || text[stop] is '_' or '-' or '.')) stop++;
        var word = stop > offset ? text[offset..stop] : c.ToString();
        if (char.IsDigit(word[0]) || word[0] == '-') return (word, word.Contains('.') ? "FLOAT" : "INT");
        return (word, word switch
        {
            "query" or "mutation" or "subscription" or "fragment" or "on" or "true" or "false" or "null" => word.ToUpperInvariant(),
            _ when char.IsLetter(word[0]) || word[0] == '_' => "IDENTIFIER",
            _ => "UNKNOWN_CHAR",
        });
    }
}
