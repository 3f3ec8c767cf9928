using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Pulse.Core.Embed;
using Pulse.Embeddings.Onnx;
using Pulse.Hosting;
using Pulse.Server.Api;
using Pulse.Server.Auth;
using Pulse.Server.Feed;
using Pulse.Server.Metrics;

namespace Pulse.Server;

/// <summary>The server as a table of contents: one Add…() per feature, one Map…Api() per resource.</summary>
public static class PulseServer
{
    public static async Task<WebApplication> BuildAsync(ServerOptions options, CancellationToken ct)
    {
        var backend = await PulseBackend.OpenAsync(new BackendOptions(options.Database, options.Queue, options.Stages), ct);
        var generator = options.Embeddings ? new MiniLmEmbeddingGenerator() : null;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = options.WebRoot ?? Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddPulseConsole();
        builder.Services
            .AddPulseBackend(backend, "serve")
            .AddServerPipeline(options, backend, generator is null ? null : new EmbeddingModel(generator, EmbeddingModelInfo.Id))
            .AddPulseJobs(generator is not null)
            .AddPulseWebhooks(options.Webhooks, generator is not null)
            .AddJobFeed(backend)
            .AddPulseMetrics()
            .AddPulseJson()
            .AddOpenApi();

        var app = builder.Build();
        app.Services.GetRequiredService<PulseMetrics>();
        app.Lifetime.ApplicationStopped.Register(() => generator?.Dispose());
        app.UseWebSockets();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMiddleware<ApiKeyAuthentication>();

        app.MapHealthApi();
        app.MapAdminApi();
        app.MapMeApi();
        app.MapIntegrationsApi();
        app.MapRepositoriesApi();
        app.MapJobsApi();
        app.MapWebhooksApi();
        app.MapPullRequestsApi();
        app.MapSearchApi();
        app.MapPrMetricsApi();
        app.MapJobFeed();
        app.MapOpenApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>The address the server listens on once started (the real port when asked for port 0).</summary>
    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1"));
}
