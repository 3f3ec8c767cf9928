namespace Pulse.Embeddings.Onnx;

/// <summary>sentence-transformers' pooling for this model: the mean of a text's token states, then L2 normalisation.</summary>
internal static class MeanPooling
{
    /// <summary>
    /// Pools the first <paramref name="length"/> token states of one row of the model's output (a row holds
    /// <c>paddedLength × Dimensions</c> floats); padding positions are never read, so a vector does not depend on
    /// what else was in the run.
    /// </summary>
    public static float[] Pool(ReadOnlySpan<float> row, int length)
    {
        const int dimensions = EmbeddingModelInfo.Dimensions;
        var sum = new double[dimensions];
        for (int token = 0; token < length; token++)
        {
            var state = row.Slice(token * dimensions, dimensions);
            for (int d = 0; d < dimensions; d++)
            {
                sum[d] += state[d];
            }
        }

        double norm = 0;
        for (int d = 0; d < dimensions; d++)
        {
            sum[d] /= length;
            norm += sum[d] * sum[d];
        }
        norm = Math.Max(Math.Sqrt(norm), 1e-12);

        var vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            vector[d] = (float)(sum[d] / norm);
        }
        return vector;
    }
}
