using System.CommandLine;
using Pulse.Server;

namespace Pulse.Cli;

/// <summary><c>pulse serve</c>: API, WebSocket feed, dashboard, scheduler and pipeline workers in one process.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var database = new Option<string>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db)", DefaultValueFactory = _ => DatabaseOption.Default };
        var adminKey = new Option<string?>("--admin-key") { Description = "Key that creates tenants and API keys (default: $PULSE_ADMIN_KEY)" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Skip the embedding stage and turn search off" };
        var command = new Command("serve", "Serve the API, the live dashboard and the scheduler, running syncs in this process.") { urls, database, adminKey, noEmbeddings };
        command.SetAction(async (parse, ct) =>
        {
            var options = new ServerOptions
            {
                Urls = parse.GetValue(urls)!,
                Database = parse.GetValue(database)!,
                AdminKey = parse.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("PULSE_ADMIN_KEY"),
                Embeddings = !parse.GetValue(noEmbeddings),
            };
            try
            {
                await using var app = await PulseServer.BuildAsync(options, ct);
                await app.StartAsync(ct);
                var address = PulseServer.AddressOf(app);
                Console.WriteLine($"pulse serve: listening on {address} (dashboard {address}, API {address}api, OpenAPI {address}openapi/v1.json)");
                if (options.AdminKey is null) Console.WriteLine("pulse serve: no admin key (--admin-key or PULSE_ADMIN_KEY): tenants and keys cannot be created.");
                await app.WaitForShutdownAsync(ct);
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"pulse serve: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
