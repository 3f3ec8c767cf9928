namespace Pulse.Bench.Embeddings;

internal static class Paths
{
    public static string RepositoryRoot()
    {
        // Above the bench's own files, else above the working directory (a build with -o elsewhere).
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pulse.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Pulse.slnx not found above " + AppContext.BaseDirectory + " or the working directory.");
    }
}
