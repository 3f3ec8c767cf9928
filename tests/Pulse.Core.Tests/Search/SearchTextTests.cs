using System.Text;
using Pulse.Core.Search;

namespace Pulse.Core.Tests.Search;

public sealed class SearchTextTests
{
    // What each identifier style is indexed as: its parts (found by a word of it) and one joined token (found by the identifier).
    [Theory]
    [InlineData("fails with ERR_CONN_RESET_42.", "fails with err conn reset 42 errconnreset42")]
    [InlineData("see PROJ-1234", "see proj 1234 proj1234")]
    [InlineData("parseHeaderV2()", "parse header v2 parseheaderv2")]
    [InlineData("HTTPServer", "http server httpserver")]
    [InlineData("a1b2c3d4e5f60718", "a1b2c3d4e5f60718")]
    [InlineData("Grüße\nWelt", "grüße welt")]
    public void Index_Identifiers_IndexedAsPartsAndJoinedToken(string text, string expected) =>
        Assert.Equal(expected, SearchText.Index(text));

    [Theory]
    [InlineData("ERR_CONN_RESET_42", "errconnreset42")]
    [InlineData("proj-1234", "proj1234")]
    [InlineData("parseHeader", "parseheader")]
    [InlineData("a1b2c3d", "a1b2c3d")]
    public void Terms_Identifier_LooksForItsJoinedTokenAsAPrefix(string query, string token) =>
        Assert.Equal([new SearchTerm(token, true)], SearchText.Terms(query));

    [Fact]
    public void Terms_EveryQueryTokenIsAnIndexToken_SoIdentifierAndWordQueriesMatchTheIndex()
    {
        var index = SearchText.Index("The client gives up with ERR_CONN_RESET_42 in parseHeaderV2 (PROJ-1234)").Split(' ');

        foreach (var query in new[] { "ERR_CONN_RESET_42", "err_conn_reset_42", "conn reset", "PROJ-1234", "parseHeaderV2", "header" })
            Assert.All(SearchText.Terms(query), t => Assert.Contains(index, token => t.Prefix ? token.StartsWith(t.Token, StringComparison.Ordinal) : token == t.Token));
    }

    [Fact]
    public void Terms_PunctuationOnlyOrOneLetter_NoTermsOrNoPrefix()
    {
        Assert.Empty(SearchText.Terms("?!-- ::"));
        Assert.Equal([new SearchTerm("a", false)], SearchText.Terms("a"));
    }

    // Characters of every kind the rules tell apart: letters of each case and script, digits and other numbers, the joiners,
    // separators, marks (not word characters), and surrogate pairs (never word characters, one unit at a time).
    private const string Alphabet = "aZq9_-_- .,:/()\n\tÄäßǅʰあ中٣Ⅻ½\u0301\u200Bİı";

    [Fact]
    public void Index_RandomTexts_SameTokensAsTheRegularExpressions()
    {
        var random = new Random(11);
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random);
            Assert.Equal(RegexSearchText.Index(text), SearchText.Index(text));
            Assert.Equal(RegexSearchText.QueryTokens(text).Distinct().Take(16), SearchText.Terms(text).Select(t => t.Token));
        }
    }

    [Fact]
    public void Index_EveryBmpCharacterBetweenLetters_SameTokensAsTheRegularExpressions()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var text = $"aB{(char)c}Cd{(char)c}EFg_{(char)c}-1";
            Assert.Equal(RegexSearchText.Index(text), SearchText.Index(text));
        }
    }

    private static string RandomText(Random random)
    {
        var length = random.Next(0, 40);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(12) == 0) text.Append(char.ConvertFromUtf32(0x10400 + random.Next(40)));
            else text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }
        return text.ToString();
    }
}
