using Microsoft.Extensions.Hosting;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// The simulator runs inside other programs (tests, the CLI), so it must not take Ctrl+C/SIGTERM
/// away from them as ASP.NET Core's console lifetime would; its owner stops it by disposing it.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
