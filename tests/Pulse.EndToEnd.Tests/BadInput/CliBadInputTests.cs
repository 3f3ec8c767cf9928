using Pulse.EndToEnd.Tests.Sync;

namespace Pulse.EndToEnd.Tests.BadInput;

/// <summary>The bad-input catalogue of the CLI: each case names the exact line a user sees, and the exit code.</summary>
public sealed class CliBadInputTests
{
    private const string Url = "http://127.0.0.1:9/graphql";

    public static TheoryData<string[], int, string> Cases => new()
    {
        { ["sync", "--github-url", "x", "--owner", "a", "--token", "t"], 2, "pulse sync: --github-url must be an http(s) URL, not 'x'." },
        { ["sync", "--github-url", "ftp://h/graphql", "--owner", "a", "--token", "t"], 2, "pulse sync: --github-url must be an http(s) URL, not 'ftp://h/graphql'." },
        { ["sync", "--github-url", Url, "--owner", "bad owner!", "--token", "t"], 2, "pulse sync: --owner 'bad owner!' is not a GitHub login (letters, digits and hyphens, at most 39)." },
        { ["sync", "--github-url", Url, "--owner", "-leading-hyphen", "--token", "t"], 2, "pulse sync: --owner '-leading-hyphen' is not a GitHub login (letters, digits and hyphens, at most 39)." },
        { ["sync", "--github-url", Url, "--owner", "a"], 2, "pulse sync: No GitHub credentials: pass --token (or set GITHUB_TOKEN), or --app-id, --app-key and --installation-id." },
        { ["sync", "--github-url", "https://ghe.example.com/x/y", "--owner", "a", "--token", "t"], 2,
            "pulse sync: --github-url: The GitHub URL 'https://ghe.example.com/x/y' names no GitHub API: use https://HOST, https://HOST/api/graphql or https://HOST/api/v3." },
        { ["sync", "--github-url", Url, "--owner", "a", "--token", "t", "--app-id", "1", "--app-key", "k.pem", "--installation-id", "2"], 2,
            "pulse sync: Give either --token or a GitHub App (--app-id, --app-key, --installation-id), not both." },
        { ["sync", "--github-url", Url, "--owner", "a", "--app-id", "1", "--installation-id", "2"], 2,
            "pulse sync: A GitHub App needs all three of --app-id, --app-key and --installation-id." },
        { ["sync", "--github-url", Url, "--owner", "a", "--app-id", "1", "--app-key", "/nonexistent/k.pem", "--installation-id", "2"], 2,
            "pulse sync: --app-key: the file '/nonexistent/k.pem' does not exist." },
        { ["simulate", "--app", "1:/nonexistent/pub.pem:2"], 2, "pulse simulate: --app: the public key file '/nonexistent/pub.pem' does not exist." },
        { ["simulate", "--installation-token-ttl", "soon"], 2, "pulse simulate: --installation-token-ttl 'soon' must be a positive duration such as 60s, 10m or 1h." },
        { ["sync", "--github-url", Url, "--owner", "a", "--token", "t", "--since", "nope"], 2, "pulse sync: --since 'nope' is not a date (use ISO-8601, e.g. 2025-01-31)." },
        { ["sync", "--github-url", Url, "--owner", "a", "--token", "t", "--database", "sqlite:"], 2, "pulse sync: --database sqlite: needs a file path, e.g. sqlite:./pulse.db" },
        { ["sync", "--github-url", Url, "--owner", "a", "--token", "t", "--database", "sqlite:/proc/no/such/dir/pulse.db", "--no-embeddings"], 2,
            "pulse sync: Cannot open the database 'sqlite:/proc/no/such/dir/pulse.db': Could not find file '/proc/no'." },
        { ["sync", "--github-url", Url, "--owner", "a", "--token", "t", "--no-embeddings", "--database", $"sqlite:{Path.Combine(Path.GetTempPath(), $"pulse-bad-input-{Guid.NewGuid():N}.db")}"], 1,
            "pulse sync: failed: Connection to 127.0.0.1 failed: Connection refused (127.0.0.1:9)" },
        { ["search", "x", "--limit", "0"], 2, "pulse search: --limit must be between 1 and 100." },
        { ["search", "x", "--limit", "101"], 2, "pulse search: --limit must be between 1 and 100." },
        { ["simulate", "--dataset", "/nonexistent/data.json"], 2, "pulse simulate: Data set file '/nonexistent/data.json' does not exist." },
        { ["simulate", "--synthetic", "repos=x"], 2, "pulse simulate: Synthetic setting repos=x: expected a whole number in 1..100000." },
        { ["simulate", "--synthetic", "foo=1"], 2, "pulse simulate: Unknown synthetic setting 'foo'; known: repos, prs, seed, tails, commits_max, big_body, extreme." },
        { ["simulate", "--faults", "502=2"], 2, "pulse simulate: Fault rate '2' of '502' must be a number in [0, 1]." },
        { ["simulate", "--faults", "bogus=0.1"], 2, "pulse simulate: Unknown fault kind 'bogus'; expected one of 502, 504, reset, slow, truncated, partial, notfound, secondary." },
        { ["simulate", "--port", "70000"], 2, "pulse simulate: Port must be 0..65535, got 70000." },
        { ["demo", "--synthetic", "prs=-1"], 2, "pulse demo: Synthetic setting prs=-1: expected a whole number in 0..10000000." },
        // serve checks its options together before it opens anything; a broker password is never echoed.
        { ["serve", "--queue", "amqp://guest:s3cret@127.0.0.1:5672/", "--database", "sqlite:/tmp/pulse-bad-input-serve.db"], 2,
            "pulse serve: --queue amqp://guest:***@127.0.0.1:5672/ needs a database every worker shares: --database postgres://..., not 'sqlite:/tmp/pulse-bad-input-serve.db'." },
        { ["serve", "--queue", "nope", "--database", "postgres://postgres@127.0.0.1:9/pulse"], 2,
            "pulse serve: --queue must be inproc or an amqp://user:pass@host:5672/vhost URL, not 'nope'." },
        { ["serve", "--stages", "extract", "--database", "sqlite:/tmp/pulse-bad-input-serve.db"], 2,
            "pulse serve: --stages needs --queue amqp://...: with the in-process queue no other process can run the stages left out." },
        { ["serve", "--stages", "bogus", "--queue", "amqp://127.0.0.1:9/"], 2, "pulse serve: --stages: unknown stage 'bogus' (extract, transform, embed, or none)." },
        { ["serve", "--watch-seconds", "40", "--lease-seconds", "60"], 2,
            "pulse serve: --watch-seconds must be at least 1 and at most half of --lease-seconds (the lease is renewed on every check)." },
        { ["worker", "--database", "postgres://postgres@127.0.0.1:9/pulse", "--queue", "amqp://127.0.0.1:9/", "--stages", "none"], 2,
            "pulse worker: --stages: a worker needs at least one stage (extract, transform, embed)." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Cli_BadInput_ExitsWithOneClearLine(string[] args, int exitCode, string message)
    {
        var (code, output) = await RunAsync(args);
        FaultSuite.FaultSuiteLog.BadInput(string.Join(' ', args));
        RemoveCreatedDatabase(args);

        Assert.Equal(exitCode, code);
        Assert.Contains(message, output.Split('\n').Select(l => l.TrimEnd('\r')));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    /// <summary>A case that gets as far as creating its SQLite file (and its key, WAL and lock files) leaves none of them behind.</summary>
    private static void RemoveCreatedDatabase(string[] args)
    {
        var database = args.SkipWhile(a => a != "--database").Skip(1).FirstOrDefault();
        if (database is null || !database.StartsWith("sqlite:", StringComparison.Ordinal)) return;
        var path = database["sqlite:".Length..];
        if (!Path.GetFileName(path).StartsWith("pulse-bad-input-", StringComparison.Ordinal) || Path.GetDirectoryName(path) is not { } directory
            || !Directory.Exists(directory)) return;
        foreach (var file in Directory.GetFiles(directory, Path.GetFileName(path) + "*")) File.Delete(file);
    }

    [Fact]
    public async Task Simulate_TruncatedAndMalformedDataSets_NameTheFileAndThePosition()
    {
        var truncated = Path.Combine(Path.GetTempPath(), $"pulse-truncated-{Guid.NewGuid():N}.json");
        var malformed = Path.Combine(Path.GetTempPath(), $"pulse-malformed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(truncated, """{"format":"pulse-github-dataset/1","owners":[{"login":"a" """, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(malformed, "{not json", TestContext.Current.CancellationToken);
        try
        {
            var (code1, out1) = await RunAsync(["simulate", "--dataset", truncated, "--port", "0"]);
            var (code2, out2) = await RunAsync(["simulate", "--dataset", malformed, "--port", "0"]);

            Assert.Equal((2, 2), (code1, code2));
            Assert.Matches($@"pulse simulate: Data set file '{System.Text.RegularExpressions.Regex.Escape(truncated)}' is not valid JSON \(line 1, byte \d+\): it is truncated or malformed\.", out1);
            Assert.Contains($"pulse simulate: Data set file '{malformed}' is not valid JSON (line 1, byte 1): it is truncated or malformed.", out2, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(truncated);
            File.Delete(malformed);
        }
    }

    /// <summary>Runs the CLI to its end (60 s at most) without GITHUB_TOKEN, with <paramref name="environment"/> set (a null value removes the variable).</summary>
    internal static async Task<(int Code, string Output)> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(PulseProcess.Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("GITHUB_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
