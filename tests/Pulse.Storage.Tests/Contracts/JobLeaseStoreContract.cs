namespace Pulse.Storage.Tests.Contracts;

public abstract class JobLeaseStoreContract : StoreContract
{
    [Fact]
    public async Task TryLease_WhileAnotherHoldsALiveLease_RefusesUntilItExpires()
    {
        var (job, _) = await NewJobAsync();
        var now = Clock.GetUtcNow();
        var leases = Stores.Leases;

        Assert.True(await leases.TryLeaseAsync(job.Id, job.TenantId, "a", now, now.AddSeconds(30), Ct));
        Assert.False(await leases.TryLeaseAsync(job.Id, job.TenantId, "b", now.AddSeconds(29), now.AddMinutes(1), Ct));
        Assert.False(await leases.TryLeaseAsync(job.Id, job.TenantId, "a", now.AddSeconds(1), now.AddMinutes(1), Ct));
        Assert.False(await leases.RenewLeaseAsync(job.Id, "b", now.AddMinutes(1), Ct));
        Assert.True(await leases.TryLeaseAsync(job.Id, job.TenantId, "b", now.AddSeconds(31), now.AddMinutes(1), Ct));
        Assert.False(await leases.RenewLeaseAsync(job.Id, "a", now.AddMinutes(5), Ct));
        await leases.ReleaseLeaseAsync(job.Id, "a", Ct);   // not a's any more: nothing happens
        Assert.True(await leases.RenewLeaseAsync(job.Id, "b", now.AddMinutes(2), Ct));
        await leases.ReleaseLeaseAsync(job.Id, "b", Ct);
        Assert.True(await leases.TryLeaseAsync(job.Id, job.TenantId, "c", now.AddSeconds(32), now.AddMinutes(1), Ct));
    }
}

public sealed class SqliteJobLeaseStoreContract : JobLeaseStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresJobLeaseStoreContract : JobLeaseStoreContract
{
    protected override bool Postgres => true;
}
