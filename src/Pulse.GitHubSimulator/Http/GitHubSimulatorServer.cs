using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// The simulator over HTTP on 127.0.0.1: <c>POST /graphql</c> as GitHub answers it, plus the
/// control surface under <c>/_sim/</c>. Usable in-process: <c>await using var sim = await GitHubSimulatorServer.StartAsync(...)</c>.
/// </summary>
public sealed class GitHubSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PrimaryRateLimit _primary;
    private readonly SecondaryRateLimit _secondary;
    private readonly FaultInjector _faults;
    private readonly SimulatorAccounts _accounts;
    private readonly AppInstallations _apps;
    private readonly Webhooks.WebhookSender? _webhooks;

    private GitHubSimulatorServer(WebApplication app, SimulatorOptions options, ISimulatorData data, SimulatorAccounts accounts,
        PrimaryRateLimit primary, SecondaryRateLimit secondary, FaultInjector faults, SimulatorStats stats, AnswerGate answers, AppInstallations apps)
    {
        _app = app;
        _apps = apps;
        Answers = answers;
        _accounts = accounts;
        Options = options;
        Data = data;
        _primary = primary;
        _secondary = secondary;
        _faults = faults;
        Stats = stats;
        if (options.WebhookUrl is { } url) _webhooks = new Webhooks.WebhookSender(url, options.WebhookSecret!, options.WebhookDropRate, options.Seed);
    }

    public SimulatorOptions Options { get; }

    /// <summary>Test control: holds every answer for a while (see <see cref="AnswerGate"/>).</summary>
    public AnswerGate Answers { get; }

    public ISimulatorData Data { get; }

    public SimulatorStats Stats { get; }

    /// <summary>e.g. http://127.0.0.1:5099/ (with the port really bound).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>e.g. http://127.0.0.1:5099/graphql; Enterprise Server's http://127.0.0.1:5099/api/graphql.</summary>
    public Uri GraphQLUrl => new(BaseUrl, Options.EnterpriseServer ? "api/graphql" : "graphql");

    /// <summary>The REST root: http://127.0.0.1:5099/ as api.github.com's; Enterprise Server's http://127.0.0.1:5099/api/v3/.</summary>
    public Uri RestUrl => new(BaseUrl, Options.EnterpriseServer ? "api/v3/" : "");

    /// <summary>Starts GitHub's engine over <see cref="SimulatorOptions.DatasetPath"/>, or over the synthetic data of <see cref="SimulatorOptions.Synthetic"/>.</summary>
    public static Task<GitHubSimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return StartAsync(options, LoadData(options), ct);
    }

    /// <summary>Starts GitHub's engine over <paramref name="data"/>.</summary>
    public static Task<GitHubSimulatorServer> StartAsync(SimulatorOptions options, ISimulatorData data, CancellationToken ct = default) =>
        StartAsync(options, data, new GitHubGraphQLEngine(data), ct);

    /// <summary>Starts serving <paramref name="engine"/> over <paramref name="data"/>; returns once the port is bound.</summary>
    public static async Task<GitHubSimulatorServer> StartAsync(
        SimulatorOptions options, ISimulatorData data, IGraphQLEngine engine, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The content root is where the host watches its settings files, with every directory under it: the working directory
        // by default, where `pulse demo` writes its database, so each write of the sync woke a watcher thread (~2.5% of the
        // demo's CPU). The simulator reads no settings files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();

        var primary = new PrimaryRateLimit(options);
        var secondary = new SecondaryRateLimit(options);
        var faults = new FaultInjector(options);
        var stats = new SimulatorStats();
        var accounts = new SimulatorAccounts(options.Tokens, options.PointsPerHour, options.ViewerLogin, options.TimeProvider);
        var answers = new AnswerGate();
        var apps = new AppInstallations(options, accounts, data.Counts.GetValueOrDefault("repositories"));
        var server = new GitHubSimulatorServer(app, options, data, accounts, primary, secondary, faults, stats, answers, apps);
        var pipeline = new GraphQLPipeline(options, accounts, engine, primary, secondary, faults, stats, answers);

        // github.com serves GraphQL at api.github.com/graphql and REST at its root; Enterprise Server at /api/graphql and /api/v3.
        var (graphQL, rest) = options.EnterpriseServer ? ("/api/graphql", "/api/v3") : ("/graphql", "");
        app.MapPost(graphQL, pipeline.HandleAsync);
        app.MapPost(rest + "/app/installations/{id:long}/access_tokens", (Microsoft.AspNetCore.Http.HttpContext http, long id) => apps.HandleAsync(http, id));
        ControlEndpoints.Map(app, server);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)), "/");
        return server;
    }

    private static ISimulatorData LoadData(SimulatorOptions options)
    {
        if (options.DatasetPath is not null) return SimulatorDataLoader.LoadFile(options.DatasetPath);
        // Generated into a temporary file, not memory: synthetic sets may hold 10,000+ pull requests.
        var path = Path.Combine(Path.GetTempPath(), $"pulse-synthetic-{Guid.NewGuid():N}.json");
        try
        {
            using (var file = File.Create(path)) Synthetic.SyntheticDataset.Generate(options.Synthetic, file);
            return SimulatorDataLoader.LoadFile(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Revokes a token, as a user or GitHub does mid-run: from the next request on it gets GitHub's
    /// 401 Bad credentials, like a token never issued. False when it was not accepted anyway.
    /// </summary>
    public bool RevokeToken(string token) => _accounts.Revoke(token);

    /// <summary>
    /// Issues a token at runtime, for <paramref name="login"/> (sharing that user's budgets) or, without one, as a user
    /// of its own; false when it is already accepted. Throws <see cref="ArgumentException"/> on a malformed token.
    /// </summary>
    public bool AddToken(string token, string? login = null) => _accounts.Add(token, login);

    /// <summary>Suspends (or unsuspends) an App installation: GitHub then refuses it tokens with 403. False when there is none.</summary>
    public bool SuspendInstallation(long installationId, bool suspended = true) => _apps.Suspend(installationId, suspended);

    /// <summary>The installation's GraphQL points per hour by GitHub's rule; null when there is no such installation.</summary>
    public int? InstallationPointsPerHour(long installationId) => _apps.PointsPerHour(installationId);

    /// <summary>How many installation tokens GitHub issued to the installation so far; null when there is no such installation.</summary>
    public int? InstallationTokensIssued(long installationId) => _apps.TokensIssued(installationId);

    /// <summary>
    /// Deletes a repository with its pull requests, as GitHub does: gone from its owner's listing,
    /// and it and everything in it answer NOT_FOUND. Throws <see cref="ArgumentException"/> when there is no such repository.
    /// </summary>
    public JsonObject DeleteRepository(string owner, string name) =>
        Data.Apply(new JsonObject { ["op"] = "delete_repo", ["owner"] = owner, ["repo"] = name });

    /// <summary>Forgets every bucket, budget, counter and the fault sequence (restarted from the seed). Tokens and data stay as they are.</summary>
    public void Reset()
    {
        _primary.Reset();
        _secondary.Reset();
        _faults.Reset();
        Stats.Reset();
    }

    /// <summary>
    /// Applies one data mutation (see <see cref="ISimulatorData.Apply"/>); throws <see cref="ArgumentException"/> on bad input. With a
    /// webhook URL, the change's deliveries are queued and their ids are in the answer's "deliveries".
    /// </summary>
    public JsonObject Mutate(JsonObject mutation)
    {
        if (_webhooks is null) return Data.Apply(mutation);
        var before = Data.Describe((string?)mutation["owner"] ?? "", (string?)mutation["repo"] ?? "", GraphQL.Execution.QueryValues.AsLong(mutation["number"]) ?? 0, null);
        var result = Data.Apply(mutation);
        result["deliveries"] = _webhooks.Emit(Webhooks.WebhookPayloads.For(mutation, result, before, Data, Options.ViewerLogin));
        return result;
    }

    /// <summary>Sends a kept delivery again by id (as GitHub's Redeliver); false when there is none. Throws without a webhook URL.</summary>
    public bool Redeliver(string deliveryId) =>
        (_webhooks ?? throw new ArgumentException("The simulator sends no webhooks: start it with a webhook URL.")).Redeliver(deliveryId);

    /// <summary>The kept webhook deliveries, oldest first (empty without a webhook URL).</summary>
    public JsonArray WebhookDeliveries => _webhooks?.List() ?? [];

    public IReadOnlyDictionary<string, long> DataCounts => Data.Counts;

    public async ValueTask DisposeAsync()
    {
        if (_webhooks is not null) await _webhooks.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
