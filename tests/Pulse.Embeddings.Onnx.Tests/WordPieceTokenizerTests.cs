namespace Pulse.Embeddings.Onnx.Tests;

public sealed class WordPieceTokenizerTests
{
    private static readonly WordPieceTokenizer Tokenizer = MiniLmModel.Shared.Tokenizer;

    [Fact]
    public void Tokens_WordAfterBareNewline_ReachesModel() =>
        Assert.Equal(["[CLS]", "hello", "world", "again", "[SEP]"], Tokenizer.Tokens("hello\nworld again"));

    [Fact]
    public void Tokens_MultiLineText_EveryWordReachesModelWithoutUnknown()
    {
        // Expected: BERT's greedy longest-match WordPiece over this vocabulary, worked out independently of the tokenizer.
        const string text = "Fix the scheduler\n\nThe queue\nstalls when\r\nthe lease\texpires.\n- retry once\n- log the error";

        Assert.Equal(
            ["[CLS]", "fix", "the", "schedule", "##r", "the", "queue", "stalls", "when", "the", "lease", "ex", "##pire", "##s", ".",
             "-", "re", "##try", "once", "-", "log", "the", "error", "[SEP]"],
            Tokenizer.Tokens(text));
    }

    [Theory]
    [InlineData("v2", new[] { "v", "##2" })]
    [InlineData("Bump v2 to v3.1", new[] { "bump", "v", "##2", "to", "v", "##3", ".", "1" })]
    [InlineData("foo_bar(baz) => x", new[] { "foo", "_", "bar", "(", "ba", "##z", ")", "=", ">", "x" })]
    [InlineData("`pr-type/bug-fix`", new[] { "`", "pr", "-", "type", "/", "bug", "-", "fix", "`" })]
    public void Tokens_WordsMissingFromVocabularyOrWithPunctuation_SplitAsBert(string text, string[] expected) =>
        Assert.Equal(["[CLS]", .. expected, "[SEP]"], Tokenizer.Tokens(text));

    [Fact]
    public void Encode_TextLongerThanWindow_TruncatesToWindowEndingWithSeparator()
    {
        string text = string.Concat(Enumerable.Repeat("the scheduler deadlocks under load ", 1_000));

        var tokens = Tokenizer.Tokens(text);

        Assert.Equal(EmbeddingModelInfo.MaxTokens, tokens.Count);
        Assert.Equal("[CLS]", tokens[0]);
        Assert.Equal("[SEP]", tokens[^1]);
    }
}
