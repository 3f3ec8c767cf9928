using System.CommandLine;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Cli;

/// <summary><c>pulse demo</c>: the simulator on a synthetic organisation, and a full sync of it into a local SQLite file.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var synthetic = new Option<string>("--synthetic") { Description = "Synthetic organisation", DefaultValueFactory = _ => "repos=3,prs=50,seed=1" };
        var database = new Option<string>("--database") { Description = "sqlite:PATH", DefaultValueFactory = _ => "sqlite:pulse-demo.db" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Skip the embedding stage" };
        var command = new Command("demo", "Start the GitHub simulator on a synthetic organisation and sync it (offline, embedded default).")
        {
            synthetic, database, noEmbeddings,
        };
        command.SetAction(async (parse, ct) =>
        {
            SyntheticSpec spec;
            try
            {
                spec = SyntheticSpec.Parse(parse.GetValue(synthetic)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"pulse demo: {e.Message}");
                return 2;
            }
            // The demo's simulator answers at full speed: GitHub's processing time is counted, not slept.
            await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, ct);
            Console.WriteLine($"GitHub simulator listening on {sim.GraphQLUrl} ({spec})");
            var options = new SyncOptions
            {
                GraphQLUrl = sim.GraphQLUrl,
                Owner = SyntheticDataset.OrganizationLogin,
                Token = sim.Options.Tokens[0],
                Embeddings = !parse.GetValue(noEmbeddings),
            };
            var db = parse.GetValue(database)!;
            var code = await SyncCommand.RunAsync(options, db, quiet: false, Console.Out, ct);
            if (code == 0)
                Console.WriteLine($"Try: ./pulse search \"flaky test\" --database {db}");
            return code;
        });
        return command;
    }
}
