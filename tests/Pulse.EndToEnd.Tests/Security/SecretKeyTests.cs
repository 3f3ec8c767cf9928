using System.Security.Cryptography;
using Pulse.EndToEnd.Tests.BadInput;
using Pulse.EndToEnd.Tests.Distributed;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Security;

/// <summary>
/// Issue #11: the secret key's rules, over real processes. On a shared PostgreSQL database every process needs
/// PULSE_SECRET_KEY, and the database refuses a process whose key is not the one it was set up with.
/// </summary>
public sealed class SecretKeyTests
{
    private const string Unreachable = "postgres://postgres@127.0.0.1:9/pulse";
    private const string NotSet = "PULSE_SECRET_KEY is not set: every process sharing a PostgreSQL database (sync, serve, worker) must hold the same key "
        + "to read the tokens stored in it; generate one once with `head -c32 /dev/urandom | base64` and export it as PULSE_SECRET_KEY on every host.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] VerbNames = ["sync", "serve", "worker"];

    public static TheoryData<string> Verbs => new(VerbNames);

    private static string[] Args(string verb, string database, string queue = "amqp://127.0.0.1:9/") => verb switch
    {
        "sync" => ["sync", "--github-url", "http://127.0.0.1:9/graphql", "--owner", "a", "--token", "t", "--no-embeddings", "--database", database],
        "serve" => ["serve", "--urls", "http://127.0.0.1:0", "--no-embeddings", "--database", database],
        _ => ["worker", "--stages", "extract,transform", "--queue", queue, "--database", database],
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_OnPostgresWithoutPulseSecretKey_RefusesToStartWithOneLineSayingHowToSetIt(string verb)
    {
        var (code, output) = await CliBadInputTests.RunAsync(Args(verb, Unreachable), new Dictionary<string, string?> { ["PULSE_SECRET_KEY"] = null });

        Assert.Equal(2, code);
        Assert.Equal($"pulse {verb}: {NotSet}", output.Trim());
    }

    [Fact]
    public async Task Verbs_KeyOtherThanTheOneTheDatabaseWasSetUpWith_RefuseToStartNamingTheMismatch()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        var setUpWith = NewKey();
        // The first process to start records its key's fingerprint: here a worker, on the fresh database.
        await using var worker = await PulseCliProcess.StartAsync(["worker", "--database", database, "--queue", TestServers.RabbitMqWithPrefix(harness.QueuePrefix),
            "--stages", "extract,transform"], new Dictionary<string, string> { ["PULSE_SECRET_KEY"] = setUpWith }, Ct);
        await WorkerProcessTests.WaitUntilAsync(async () => worker.HasExited || await DistributedChecks.CountAsync(database, "SELECT count(*) FROM key_fingerprint") == 1,
            TimeSpan.FromMinutes(1));
        Assert.False(worker.HasExited, worker.Output);

        foreach (var verb in VerbNames)
        {
            var (code, output) = await CliBadInputTests.RunAsync(Args(verb, database, TestServers.RabbitMqWithPrefix(harness.QueuePrefix)),
                new Dictionary<string, string?> { ["PULSE_SECRET_KEY"] = NewKey() });

            Assert.True(code == 2, $"{verb} exited {code}:\n{output}");
            Assert.Matches($"^pulse {verb}: PULSE_SECRET_KEY does not match the key this database was set up with \\(key fingerprint [0-9a-f]{{8}}, "
                + "the database's [0-9a-f]{8}\\): set the PULSE_SECRET_KEY that the database's other processes use\\.$", output.Trim());
            Assert.DoesNotContain(setUpWith, output, StringComparison.Ordinal);
        }
        // The database keeps a fingerprint, never the key.
        Assert.Equal(1L, await DistributedChecks.CountAsync(database, "SELECT count(*) FROM key_fingerprint WHERE length(fingerprint) = 64"));
        Assert.Equal(0L, await DistributedChecks.CountAsync(database,
            $"SELECT count(*) FROM key_fingerprint WHERE fingerprint LIKE '%{Convert.ToHexStringLower(Convert.FromBase64String(setUpWith))}%'"));
    }

    [Fact]
    public async Task Sync_EmbeddedKeyFileReplaced_RefusesToStartNamingTheKeyFile()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = SyntheticSpec.Parse("repos=1,prs=3,seed=43,big_body=false"), ProcessingTimeScale = 0,
        }, Ct);
        await using var harness = new SyncHarness();
        string[] sync = ["sync", "--github-url", sim.GraphQLUrl.ToString(), "--owner", SyntheticDataset.OrganizationLogin, "--token", "sim-token",
            "--no-embeddings", "--quiet", "--database", $"sqlite:{harness.DatabasePath}"];
        var noKey = new Dictionary<string, string?> { ["PULSE_SECRET_KEY"] = null };
        var (first, firstOutput) = await CliBadInputTests.RunAsync(sync, noKey);
        Assert.True(first == 0, firstOutput);
        var keyFile = harness.DatabasePath + ".key";
        await File.WriteAllTextAsync(keyFile, NewKey(), Ct);

        var (code, output) = await CliBadInputTests.RunAsync(sync, noKey);

        Assert.Equal(2, code);
        Assert.Matches($"^pulse sync: the key file {System.Text.RegularExpressions.Regex.Escape(keyFile)} does not match the key this database was set up with "
            + "\\(key fingerprint [0-9a-f]{8}, the database's [0-9a-f]{8}\\): restore that key file, or set PULSE_SECRET_KEY to the key the database was set up with\\.$",
            output.Trim());
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
