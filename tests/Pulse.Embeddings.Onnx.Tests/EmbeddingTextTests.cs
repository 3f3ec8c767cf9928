namespace Pulse.Embeddings.Onnx.Tests;

public sealed class EmbeddingTextTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t ")]
    [InlineData("\0\0")]
    [InlineData(" \0 \n")]
    [InlineData("<!-- only a template instruction -->\r\n")]
    public void Prepare_NullEmptyBlankNulOrCommentOnly_ReturnsEmpty(string? text) =>
        Assert.Equal(string.Empty, EmbeddingText.Prepare(text));

    [Fact]
    public void Prepare_PlainText_ReturnsSameInstance()
    {
        const string text = "Fix race in the job scheduler";
        Assert.Same(text, EmbeddingText.Prepare(text));
    }

    [Fact]
    public void Prepare_TextWithNul_DropsOnlyNul() =>
        Assert.Equal("save crashes", EmbeddingText.Prepare("save\0 crashes\0"));

    [Fact]
    public void Prepare_TemplateWithHtmlComments_KeepsOnlyWhatGitHubShows()
    {
        const string body = "<!--\r\nLicensed to the Apache Software Foundation (ASF)\r\n-->\r\n### Summary\r\n<!-- What does this PR do? -->\r\nAdd retries to the collector\r\n";

        Assert.Equal("\r\n### Summary\r\n\r\nAdd retries to the collector\r\n", EmbeddingText.Prepare(body));
    }

    [Fact]
    public void Prepare_UnclosedComment_HidesTheRest() =>
        Assert.Equal("visible ", EmbeddingText.Prepare("visible <!-- never closed\nhidden text"));

    [Fact]
    public void Prepare_NulInsideAndAroundComments_DropsBoth() =>
        Assert.Equal("a\u00A0b c", EmbeddingText.Prepare("a\0\u00A0<!-- x\0 -->b c\0"));
}
