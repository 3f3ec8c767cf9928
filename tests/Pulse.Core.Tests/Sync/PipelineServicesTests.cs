using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pulse.Core.Sync;

namespace Pulse.Core.Tests.Sync;

/// <summary>The pipeline's options are typed, in units, and checked when the process starts (habit 9).</summary>
public sealed class PipelineServicesTests
{
    [Fact]
    public void AddPulsePipeline_DefaultOptions_AreValid()
    {
        using var services = new ServiceCollection().AddPulsePipeline().BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<PipelineOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.QuietTimeout);
        Assert.Equal(PipelineOptions.AllStages, options.Stages);
    }

    [Theory]
    [InlineData(0, 1, "ExtractWorkers")]
    [InlineData(65, 1, "ExtractWorkers")]
    [InlineData(2, 0, "QuietTimeout")]
    public void AddPulsePipeline_OptionOutOfRange_FailsNamingIt(int extractWorkers, int quietSeconds, string named)
    {
        using var services = new ServiceCollection()
            .AddPulsePipeline(o => (o.ExtractWorkers, o.QuietTimeout) = (extractWorkers, TimeSpan.FromSeconds(quietSeconds)))
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPulsePipeline_ExtractLeaseUnderFiveSeconds_FailsSayingSo()
    {
        using var services = new ServiceCollection()
            .AddPulsePipeline(o => o.Extract = o.Extract with { Lease = TimeSpan.FromSeconds(1) })
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Equal("the extract lease must be at least 5 s, not 1 s.", failure.Message);
    }
}
