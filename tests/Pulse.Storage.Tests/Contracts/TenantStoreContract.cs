namespace Pulse.Storage.Tests.Contracts;

public abstract class TenantStoreContract : StoreContract
{
    [Fact]
    public async Task EnsureTenant_SameNameTwice_ReturnsTheSameTenant()
    {
        var first = await Stores.Tenants.EnsureTenantAsync("acme", Ct);
        Assert.Equal(first, await Stores.Tenants.EnsureTenantAsync("acme", Ct));
        Assert.Null(await Stores.Tenants.CreateTenantAsync("acme", Ct));
    }

    [Fact]
    public async Task ListTenants_OldestFirst()
    {
        Assert.Empty(await Stores.Tenants.ListTenantsAsync(Ct));
        var acme = await Stores.Tenants.EnsureTenantAsync("acme", Ct);
        var globex = await Stores.Tenants.EnsureTenantAsync("globex", Ct);

        Assert.Equal([acme, globex], await Stores.Tenants.ListTenantsAsync(Ct));
    }

    [Fact]
    public async Task AddKey_StoredAsItsHash_FindsItsTenantAndNoOther()
    {
        var tenant = (await Stores.Tenants.CreateTenantAsync("acme", Ct))!;
        var key = await Stores.Tenants.AddKeyAsync(tenant.Id, "ci", "hash-of-the-key", "pk_abc", Ct);

        Assert.Equal((tenant.Id, "ci", "pk_abc", Clock.GetUtcNow()), (key.TenantId, key.Name, key.Prefix, key.CreatedAt));
        Assert.Equal(tenant.Id, await Stores.Tenants.FindTenantAsync("hash-of-the-key", Ct));
        Assert.Null(await Stores.Tenants.FindTenantAsync("another-hash", Ct));
    }
}

public sealed class SqliteTenantStoreContract : TenantStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresTenantStoreContract : TenantStoreContract
{
    protected override bool Postgres => true;
}
