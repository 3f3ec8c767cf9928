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
    public void Prepare_NullEmptyBlankOrOnlyNul_ReturnsEmpty(string? text) =>
        Assert.Equal(string.Empty, EmbeddingText.Prepare(text));

    [Fact]
    public void Prepare_ShortText_ReturnsSameInstance()
    {
        const string text = "Fix race in the job scheduler";
        Assert.Same(text, EmbeddingText.Prepare(text));
    }

    [Fact]
    public void Prepare_TextWithNul_DropsOnlyNul() =>
        Assert.Equal("save crashes", EmbeddingText.Prepare("save\0 crashes\0"));

    [Fact]
    public void Prepare_OneMegabyte_KeepsFirstMaxCharacters()
    {
        string text = string.Concat(Enumerable.Repeat("abcdefghij", 100_000));

        string prepared = EmbeddingText.Prepare(text);

        Assert.Equal(EmbeddingModelInfo.MaxInputCharacters, prepared.Length);
        Assert.Equal(text[..EmbeddingModelInfo.MaxInputCharacters], prepared);
    }

    [Fact]
    public void Prepare_NulsBeforeLongText_DoNotCountTowardsLimit()
    {
        string text = new string('\0', 5_000) + new string('x', 3_000);

        Assert.Equal(new string('x', EmbeddingModelInfo.MaxInputCharacters), EmbeddingText.Prepare(text));
    }

    [Fact]
    public void Prepare_SurrogatePairAcrossLimit_DropsHalfPair()
    {
        string text = new string('a', EmbeddingModelInfo.MaxInputCharacters - 1) + "😀" + "tail";

        string prepared = EmbeddingText.Prepare(text);

        Assert.Equal(EmbeddingModelInfo.MaxInputCharacters - 1, prepared.Length);
        Assert.False(char.IsHighSurrogate(prepared[^1]));
    }
}
