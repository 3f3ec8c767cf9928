namespace Pulse.Embeddings.Onnx.Tests;

public sealed class TokenBatchesTests
{
    [Fact]
    public void Plan_MixedLengths_CoversEachIndexOnceShortestFirstWithinBudget()
    {
        int[] lengths = [200, 5, 40, 5, 256, 12, 90, 7, 7, 130];

        var runs = TokenBatches.Plan(lengths, maxTokens: 300, maxRows: 4).ToList();

        Assert.Equal(Enumerable.Range(0, lengths.Length), runs.SelectMany(r => r).Order());
        var flattened = runs.SelectMany(r => r).Select(i => lengths[i]).ToList();
        Assert.Equal(flattened.Order(), flattened);
        Assert.All(runs, run =>
        {
            Assert.InRange(run.Length, 1, 4);
            Assert.True(run.Length * run.Max(i => lengths[i]) <= 300 || run.Length == 1, $"run of {run.Length} over budget");
        });
    }

    [Fact]
    public void Plan_TextLongerThanBudget_RunsAlone()
    {
        var runs = TokenBatches.Plan([256, 256, 3], maxTokens: 256, maxRows: 64).ToList();

        Assert.Equal([[2], [0], [1]], runs);
    }

    [Fact]
    public void Plan_NoTexts_NoRuns() => Assert.Empty(TokenBatches.Plan([], 2_048, 64));
}
