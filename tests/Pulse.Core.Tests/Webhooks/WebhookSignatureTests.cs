using System.Text;
using Pulse.Core.Webhooks;

namespace Pulse.Core.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // GitHub's documented test vector ("Validating webhook deliveries"): secret "It's a Secret to Everybody", body "Hello, World!".
    private const string DocumentedSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Sign_GitHubsDocumentedExample_GivesItsSignature() =>
        Assert.Equal(DocumentedSignature, WebhookSignature.Sign("Hello, World!"u8, "It's a Secret to Everybody"));

    [Theory]
    [InlineData(DocumentedSignature, true)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", false)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", false)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a", false)]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_Header_TrueOnlyForTheBodysSignature(string? header, bool valid) =>
        Assert.Equal(valid, WebhookSignature.IsValid("Hello, World!"u8, "It's a Secret to Everybody", header));

    [Fact]
    public void IsValid_OtherSecretOrBody_False()
    {
        Assert.False(WebhookSignature.IsValid("Hello, World!"u8, "another secret", DocumentedSignature));
        Assert.False(WebhookSignature.IsValid(Encoding.UTF8.GetBytes("Hello, World?"), "It's a Secret to Everybody", DocumentedSignature));
    }
}
