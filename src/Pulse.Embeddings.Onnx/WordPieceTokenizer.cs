using FastBertTokenizer;

namespace Pulse.Embeddings.Onnx;

/// <summary>
/// BERT's uncased WordPiece tokenization (as Hugging Face's BertTokenizer: any whitespace splits words, punctuation
/// is its own word, unknown words fall back to sub-words such as <c>v ##2</c>) over the model's vocabulary,
/// truncated to <see cref="EmbeddingModelInfo.MaxTokens"/>. Tokenizing stops at the window, so a 1 MB body costs no
/// more than its first few kilobytes. Known gap: BERT strips accents through Unicode decomposition (NFD), which .NET
/// does not do in globalization-invariant mode (Directory.Build.props), so a word with an accent that the vocabulary
/// lacks (<c>café</c>) becomes [UNK] instead of <c>cafe</c>; ASCII text is unaffected.
/// </summary>
internal sealed class WordPieceTokenizer
{
    private readonly BertTokenizer _tokenizer = new();
    private readonly string[] _vocabulary;

    public WordPieceTokenizer()
    {
        using var reader = ModelResources.OpenVocabulary();
        string text = reader.ReadToEnd();
        _vocabulary = text.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        _tokenizer.LoadVocabulary(new StringReader(text), convertInputToLowercase: true);
    }

    /// <summary>The word-piece ids of <paramref name="text"/>, [CLS] first and [SEP] last.</summary>
    public long[] Encode(string text)
    {
        Span<long> ids = stackalloc long[EmbeddingModelInfo.MaxTokens];
        Span<long> mask = stackalloc long[EmbeddingModelInfo.MaxTokens];
        int count = _tokenizer.Encode(text, ids, mask);
        return ids[..count].ToArray();
    }

    /// <summary>The word pieces of <paramref name="text"/> as the model reads them, e.g. <c>[CLS] v ##2 [SEP]</c>.</summary>
    public IReadOnlyList<string> Tokens(string text) => Encode(text).Select(id => _vocabulary[id]).ToArray();
}
