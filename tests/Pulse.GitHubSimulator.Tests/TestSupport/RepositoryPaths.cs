namespace Pulse.GitHubSimulator.Tests.TestSupport;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the first parent of the test binaries that holds Pulse.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "third_party", "github-fixtures");

    public static string FixtureFolder(string kind) => Path.Combine(Fixtures, Pulse.GitHubSimulator.Fixtures.FixtureConverter.DefaultFolder(kind));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Pulse.slnx not found above " + AppContext.BaseDirectory);
    }
}
