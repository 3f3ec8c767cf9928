using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Storage.Postgres;
using Pulse.Storage.Sqlite;

namespace Pulse.Storage.Tests.Contracts;

/// <summary>
/// What every store contract runs on: a fresh database of one backend, its stores taken from the backend's one registration
/// (AddSqliteStorage / AddPostgresStorage), and a fake clock that every store reads "now" from. Each contract is an abstract
/// class subclassed once per backend, so both backends are held to one behaviour.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private ServiceProvider? _services;
    private string? _postgresDatabase;
    private string? _directory;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract bool Postgres { get; }

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>The deployment's secret key, which stores that keep secrets seal them with.</summary>
    protected ISecretProtector Secrets { get; } = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));

    protected PulseStorage Stores => _services!.GetRequiredService<PulseStorage>();

    /// <summary>The database itself, for a contract that lays rows down the transform would have written.</summary>
    protected RelationalDatabase Database => _services!.GetRequiredService<RelationalDatabase>();

    /// <summary>Everything the backend's registration registered (stores outside <see cref="PulseStorage"/> included).</summary>
    protected IServiceProvider Services => _services!;

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(Clock).AddSingleton(Secrets);
        if (Postgres)
        {
            (_postgresDatabase, var connectionString) = await TestPostgres.CreateDatabaseAsync("pulse_contract_", Ct);
            services.AddPostgresStorage(connectionString);
        }
        else
        {
            _directory = Directory.CreateTempSubdirectory("pulse-contract-").FullName;
            services.AddSqliteStorage(Path.Combine(_directory, "pulse.db"));
        }
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<RelationalDatabase>().MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        if (_postgresDatabase is not null) await TestPostgres.DropDatabaseAsync(_postgresDatabase);
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A tenant, an integration with its github_prs job, and one repository.</summary>
    protected async Task<(JobRecord Job, RepositoryRef Repository)> NewJobAsync(string tenant = "acme")
    {
        var t = await Stores.Tenants.EnsureTenantAsync(tenant, Ct);
        var integration = await Stores.Integrations.EnsureAsync(t.Id, new Uri("http://127.0.0.1:1/graphql"), "org", "protected", new IntegrationSettings(), Ct);
        await Stores.Repositories.UpsertAsync(t.Id, integration.Id,
            [new RepositoryRow("R_1", 1, "org", "api", null, false, false, false, "main", "C#", null, null, null)], Ct);
        var job = await Stores.Jobs.EnsureJobAsync(t.Id, integration.Id, GitHubPrJob.Name, Ct);
        return (job, (await Stores.Repositories.ListActiveAsync(t.Id, integration.Id, Ct)).Single());
    }
}
