using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>A Generic Host composed as the CLI's verbs are (the stores, a queue, a key, then AddPulsePipeline), for tests that drive the pipeline in-process.</summary>
internal static class TestPipeline
{
    public static IHost Build(PulseStorage storage, IWorkQueue queue, ISecretProtector secrets, Action<PipelineOptions> configure,
        Action<string>? log = null, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders().AddFilter("Microsoft", LogLevel.Warning);
        if (log is not null) builder.Logging.AddProvider(new LineLoggerProvider(log));
        // No console lifetime: a test host must not take the test process's Ctrl+C and SIGTERM handlers.
        builder.Services.AddSingleton<IHostLifetime, TestLifetime>();
        builder.Services.AddPulseStorage(storage).AddSingleton(queue).AddSingleton(secrets);
        if (queue is InProcessQueue local) builder.Services.AddSingleton(local);
        more?.Invoke(builder.Services);
        builder.Services.AddPulsePipeline(configure);
        return builder.Build();
    }

    /// <summary>Starts the host, runs <paramref name="work"/> against its services, and stops it whatever happens.</summary>
    public static async Task<T> RunAsync<T>(IHost host, Func<IServiceProvider, Task<T>> work, CancellationToken ct)
    {
        using (host)
        {
            await host.StartAsync(ct);
            try
            {
                return await work(host.Services);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
    }

    private sealed class TestLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Each log event as one line, e.g. for a test that checks no secret is ever logged.</summary>
    private sealed class LineLoggerProvider(Action<string> write) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new LineLogger(write);

        public void Dispose()
        {
        }

        private sealed class LineLogger(Action<string> write) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                try
                {
                    write(formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"));
                }
                catch (InvalidOperationException)
                {
                    // A test's output taken after the test ended (a line from a host stopping late): dropped, never a crash.
                }
            }
        }
    }
}
