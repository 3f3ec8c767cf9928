namespace Pulse.Embeddings.Onnx;

/// <summary>
/// Cuts tokenized texts into model runs: shortest first, so each run pads its rows to a length close to all of
/// theirs, and no run larger than a budget of padded positions, so a run's activations (which grow with rows ×
/// length², the attention scores) stay bounded.
/// </summary>
internal static class TokenBatches
{
    /// <summary>Indices into <paramref name="lengths"/>, one array per run, together covering every index once.</summary>
    public static IEnumerable<int[]> Plan(IReadOnlyList<int> lengths, int maxTokens, int maxRows)
    {
        int[] order = Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
        var run = new List<int>(maxRows);
        foreach (int index in order)
        {
            // Sorted ascending, so this text is the run's longest: the run would pad every row to its length.
            if (run.Count > 0 && (run.Count == maxRows || (run.Count + 1) * lengths[index] > maxTokens))
            {
                yield return run.ToArray();
                run.Clear();
            }
            run.Add(index);
        }
        if (run.Count > 0)
        {
            yield return run.ToArray();
        }
    }
}
