using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.AI;
using Pulse.Core.Embed;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Embed;

/// <summary>Issue 16: each distinct text is embedded once, across rows and runs, and a re-sync with nothing changed embeds nothing.</summary>
public sealed class EmbedOnceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every row with text, by its content hash (the hash of exactly the text embedded).
    private const string RowsWithText = """
        SELECT content_hash FROM prs
        UNION ALL SELECT content_hash FROM prs_commits WHERE TRIM(message) <> ''
        UNION ALL SELECT content_hash FROM prs_reviews WHERE TRIM(body) <> ''
        UNION ALL SELECT content_hash FROM prs_comments WHERE TRIM(body) <> ''
        """;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_RepeatedTextsAndNoChangeResync_EachDistinctTextEmbeddedOnce(Backend backend)
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse("repos=2,prs=15,seed=21,big_body=false"), ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness(backend);
        var generator = new CountingGenerator();
        var model = new EmbeddingModel(generator, "counting-test-model");

        var first = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct, embedding: model);

        Assert.True(first.Succeeded, first.Error);
        await using var c = await harness.OpenAsync();
        var hashes = (await c.QueryAsync<string>(RowsWithText)).ToList();
        var distinct = hashes.Distinct().Count();
        Assert.True(hashes.Count > distinct, $"the data set must repeat some texts ({hashes.Count} rows, {distinct} texts)");
        Assert.Equal(distinct, generator.Texts.Count);
        Assert.Equal(distinct, generator.Texts.Distinct().Count());
        Assert.Equal(hashes.Count, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM embeddings"));

        var second = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct, embedding: model);

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(distinct, generator.Texts.Count);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM work_items WHERE stage = 'embedding' AND run_id = @RunId", new { second.RunId }));
    }

    /// <summary>A deterministic stand-in for the model (the vector is derived from the text's hash) that records every text it is asked for.</summary>
    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Texts { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var text in values)
            {
                lock (Texts) Texts.Add(text);
                var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
                result.Add(new Embedding<float>(Enumerable.Range(0, 384).Select(i => seed[i % seed.Length] / 255f - 0.5f).ToArray()));
            }
            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
