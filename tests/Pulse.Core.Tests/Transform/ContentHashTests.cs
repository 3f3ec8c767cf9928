using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

public sealed class ContentHashTests
{
    // Stored hashes decide which embeddings are recomputed: the value must not change with the implementation.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb924")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223")]
    public void Of_KnownText_IsTheFirst128BitsOfSha256InLowerHex(string text, string expected) =>
        Assert.Equal(expected, ContentHash.Of(text));

    [Fact]
    public void Of_LargeNonAsciiText_EqualsSha256OfItsUtf8()
    {
        var text = string.Concat(Enumerable.Repeat("Grüße, 世界 — 🚀 ", 20_000));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..32];

        Assert.Equal(expected, ContentHash.Of(text));
    }
}
