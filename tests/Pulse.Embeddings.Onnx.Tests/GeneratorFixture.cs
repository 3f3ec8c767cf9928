namespace Pulse.Embeddings.Onnx.Tests;

/// <summary>One generator (one loaded model) shared by a test class.</summary>
public sealed class GeneratorFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new();

    public async Task<float[]> EmbedAsync(string text) =>
        (await Generator.GenerateAsync([text], cancellationToken: TestContext.Current.CancellationToken))[0].Vector.ToArray();

    public void Dispose() => Generator.Dispose();
}
