using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Core.GitHub.Auth;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

public abstract class InstallationTokenStoreContract : StoreContract
{
    private const string Key = "api.github.com/app/11/installation/22";

    private IInstallationTokenStore Tokens => Services.GetRequiredService<IInstallationTokenStore>();

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A mint that counts its calls and hands out PREFIX1, PREFIX2… expiring at <paramref name="expiresAt"/>.</summary>
    private sealed class CountingMint(DateTimeOffset expiresAt, string prefix = "ghs_")
    {
        private int _calls;

        public int Calls => _calls;

        public async Task<InstallationToken> MintAsync(CancellationToken ct)
        {
            var n = Interlocked.Increment(ref _calls);
            await Task.Delay(20, ct);   // GitHub's answer takes a while: the others ask meanwhile
            return new InstallationToken($"{prefix}{n}", expiresAt);
        }
    }

    [Fact]
    public async Task GetOrMint_NothingStored_MintsStoresAndReturnsIt()
    {
        Assert.Null(await Tokens.GetAsync(Key, Ct));
        var mint = new CountingMint(Now.AddHours(1));

        var token = await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, mint.MintAsync, Ct);

        Assert.Equal(new InstallationToken("ghs_1", Now.AddHours(1)), token);
        Assert.Equal(token, await Tokens.GetAsync(Key, Ct));
        Assert.Null(await Tokens.GetAsync("api.github.com/app/11/installation/23", Ct));
    }

    [Fact]
    public async Task GetOrMint_StoredTokenValidPastTheMargin_ReturnsItWithoutMinting()
    {
        var mint = new CountingMint(Now.AddHours(1));
        await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, mint.MintAsync, Ct);

        Clock.Advance(TimeSpan.FromMinutes(54));   // 6 minutes left
        var again = await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, mint.MintAsync, Ct);

        Assert.Equal("ghs_1", again.Token);
        Assert.Equal(1, mint.Calls);
    }

    [Fact]
    public async Task GetOrMint_StoredTokenDueOrRejected_MintsTheNextAndStoresIt()
    {
        var first = new CountingMint(Now.AddHours(1), "ghs_a");
        await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, first.MintAsync, Ct);

        Clock.Advance(TimeSpan.FromMinutes(56));   // 4 minutes left: due
        var next = new CountingMint(Now.AddHours(1), "ghs_b");
        Assert.Equal("ghs_b1", (await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, next.MintAsync, Ct)).Token);
        Assert.Equal(new InstallationToken("ghs_b1", Now.AddHours(1)), await Tokens.GetAsync(Key, Ct));

        // GitHub refused ghs_b1: fresh as it looks, it is replaced.
        var replacement = new CountingMint(Now.AddHours(1), "ghs_c");
        Assert.Equal("ghs_c1", (await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), "ghs_b1", replacement.MintAsync, Ct)).Token);
        // A second worker refused ghs_b1 too: the token that replaced it is served, not minted again.
        Assert.Equal("ghs_c1", (await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), "ghs_b1", replacement.MintAsync, Ct)).Token);
        Assert.Equal((1, 1, 1), (first.Calls, next.Calls, replacement.Calls));
    }

    [Fact]
    public async Task GetOrMint_ManyCallersAtOnce_OneMintsPerExpiryAndAllGetItsToken()
    {
        // First with no row yet (the insert is what they meet), then with the row there and its token due (the row lock).
        foreach (var (prefix, minutes) in new[] { ("ghs_a", 0), ("ghs_b", 56) })
        {
            Clock.Advance(TimeSpan.FromMinutes(minutes));
            var mint = new CountingMint(Now.AddHours(1), prefix);

            var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                Task.Run(() => Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, mint.MintAsync, Ct), Ct)));

            Assert.Equal(1, mint.Calls);
            Assert.All(tokens, t => Assert.Equal(prefix + "1", t.Token));
        }
    }

    [Fact]
    public async Task GetOrMint_Stored_TheTableHoldsTheTokenSealedNeverInClear()
    {
        var clear = "ghs_" + new string('x', 80);   // GitHub's longer format: no length is assumed
        await Tokens.GetOrMintAsync(Key, Now.AddMinutes(5), null, _ => Task.FromResult(new InstallationToken(clear, Now.AddHours(1))), Ct);

        var row = await Database.ReadAsync(c => c.QuerySingleAsync<(string Key, string Sealed)>(
            "SELECT installation_key, token_protected FROM installation_tokens"), Ct);
        Assert.Equal(Key, row.Key);
        Assert.DoesNotContain("ghs_", row.Sealed, StringComparison.Ordinal);
        Assert.Equal(clear, Secrets.Unprotect(row.Sealed));
        Assert.Equal(clear, (await Tokens.GetAsync(Key, Ct))!.Token);
    }
}

public sealed class SqliteInstallationTokenStoreContract : InstallationTokenStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresInstallationTokenStoreContract : InstallationTokenStoreContract
{
    protected override bool Postgres => true;
}
