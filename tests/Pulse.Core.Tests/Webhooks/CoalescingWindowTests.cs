using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Webhooks;

namespace Pulse.Core.Tests.Webhooks;

public sealed class CoalescingWindowTests
{
    private static readonly WebhookOptions Options = new()
    {
        CoalesceWindow = TimeSpan.FromSeconds(1), CoalesceIdle = TimeSpan.FromMilliseconds(250), CoalesceDeliveries = 5,
    };

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-06T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Left_NoDelivery_NoWindowOpen() => Assert.Null(new CoalescingWindow(Options, _clock).Left());

    [Fact]
    public void Left_LoneDelivery_ClosesAfterTheIdleTime()
    {
        var window = new CoalescingWindow(Options, _clock);
        window.Arrived();
        Assert.Equal(TimeSpan.FromMilliseconds(250), window.Left());

        _clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(TimeSpan.FromMilliseconds(1), window.Left());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, window.Left());
    }

    [Fact]
    public void Left_DeliveryWithinTheIdleTime_KeepsTheWindowOpenFromTheLatest()
    {
        var window = new CoalescingWindow(Options, _clock);
        window.Arrived();
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        window.Arrived();
        Assert.Equal(TimeSpan.FromMilliseconds(250), window.Left());
    }

    [Fact]
    public void Left_SteadyStreamUnderTheCount_ClosesAtTheWindowFromTheFirst()
    {
        var window = new CoalescingWindow(Options with { CoalesceDeliveries = 10 }, _clock);
        for (var i = 0; i < 5; i++)
        {
            if (i > 0) _clock.Advance(TimeSpan.FromMilliseconds(200));
            window.Arrived();
        }
        // Five deliveries, 200 ms apart: the idle time never passed; the window closes 1 s after the first.
        Assert.Equal(TimeSpan.FromMilliseconds(200), window.Left());
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.Zero, window.Left());
    }

    [Fact]
    public void Left_EnoughDeliveries_ClosesAtOnce()
    {
        var window = new CoalescingWindow(Options, _clock);
        for (var i = 0; i < 4; i++) window.Arrived();
        Assert.Equal(TimeSpan.FromMilliseconds(250), window.Left());
        window.Arrived();
        Assert.Equal(TimeSpan.Zero, window.Left());
    }

    [Fact]
    public void Close_DeliveriesAfterwards_OpenANewWindowWithANewCount()
    {
        var window = new CoalescingWindow(Options, _clock);
        for (var i = 0; i < 5; i++) window.Arrived();
        window.Close();
        Assert.Null(window.Left());

        _clock.Advance(TimeSpan.FromSeconds(5));
        window.Arrived();
        Assert.Equal(TimeSpan.FromMilliseconds(250), window.Left());
    }
}
