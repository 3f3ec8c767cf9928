using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

public abstract class PullRequestStoreContract : StoreContract
{
    [Fact]
    public async Task List_EveryFilterUnsetOrSet_FindsThePullRequestsThatMatch()
    {
        var (job, repository) = await NewJobAsync();
        var tenant = job.TenantId;
        var all = new PullRequestQuery(tenant, null, null, null, null, 1, 10);

        Assert.Equal(0, (await Stores.PullRequests.ListAsync(all, Ct)).Total);
        Assert.Equal(0, (await Stores.PullRequests.ListAsync(all with { State = "MERGED", Repository = "org/api", Author = "ann", UpdatedSince = Clock.GetUtcNow() }, Ct)).Total);
        Assert.Equal(["org/api"], (await Stores.Repositories.ListAsync(tenant, Ct)).Select(r => r.FullName));
        Assert.Null(await Stores.PullRequests.GetAsync(tenant, 1, Ct));
        Assert.True(await Stores.PullRequests.PingAsync(Ct));
        _ = repository;
    }
}

public sealed class SqlitePullRequestStoreContract : PullRequestStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresPullRequestStoreContract : PullRequestStoreContract
{
    protected override bool Postgres => true;
}
