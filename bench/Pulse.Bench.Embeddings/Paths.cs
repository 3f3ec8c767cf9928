namespace Pulse.Bench.Embeddings;

internal static class Paths
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulse.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Pulse.slnx not found above " + AppContext.BaseDirectory + ".");
    }
}
