namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// GitHub's page-size rules, checked when a connection runs (an execution error at its path, not a refused request):
/// first/last between 0 and 100, not both. Wording: EXCESSIVE_PAGINATION as recorded (shared/github/LIMITS.md); the
/// both/negative messages follow GitHub's pattern as reproduced by PaperMC's CursorPaginator, whose error types were not
/// seen, so none is given.
/// </summary>
internal static class PageSizes
{
    public const int Max = 100;

    public readonly record struct Violation(string? Type, string Message);

    public static Violation? Check(string connection, long? first, long? last)
    {
        if (first is not null && last is not null)
            return new(null, $"Passing both `first` and `last` to paginate the `{connection}` connection is not supported.");
        foreach (var (argument, value) in new[] { ("first", first), ("last", last) })
        {
            if (value is not { } n) continue;
            if (n < 0) return new(null, $"`{argument}` on the `{connection}` connection cannot be less than zero.");
            if (n > Max) return new("EXCESSIVE_PAGINATION", $"Requesting {n} records on the `{connection}` connection exceeds the `{argument}` limit of {Max} records.");
        }
        return null;
    }
}
