using Pulse.Core.Webhooks;

namespace Pulse.Core.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void Check_Defaults_Pass() => Assert.Null(new WebhookOptions().Check());

    [Fact]
    public void Check_IdleTimeNotPositive_NamesIt() =>
        Assert.Equal("Webhook coalescing idle time must be positive, got 00:00:00.", new WebhookOptions { CoalesceIdle = TimeSpan.Zero }.Check());

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void Check_ConcurrentRefreshesOutOfRange_NamesIt(int refreshes) =>
        Assert.Equal($"Webhook concurrent refreshes must be between 1 and 32, got {refreshes}.", new WebhookOptions { MaxConcurrentRefreshes = refreshes }.Check());

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Check_CoalesceDeliveriesOutOfRange_NamesIt(int deliveries) =>
        Assert.Equal($"Webhook coalescing deliveries must be between 1 and 1000, got {deliveries}.", new WebhookOptions { CoalesceDeliveries = deliveries }.Check());
}
