using System.CommandLine;

namespace Pulse.Cli;

/// <summary>The verbs of the <c>pulse</c> command, listed once.</summary>
public static class PulseCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Pulse: a GitHub organisation's pull requests, commits, reviews and comments, kept fresh and searchable.")
        {
            SyncCommand.Create(),
            WorkerCommand.Create(),
            SearchCommand.Create(),
            MetricsCommand.Create(),
            DemoCommand.Create(),
            SimulateCommand.Create(),
            ServeCommand.Create(),
        };
        var parse = root.Parse(args);
        // A bad flag gets its one-line error, not the whole help page.
        if (parse.Action is System.CommandLine.Invocation.ParseErrorAction error) error.ShowHelp = false;
        return await parse.InvokeAsync();
    }
}
