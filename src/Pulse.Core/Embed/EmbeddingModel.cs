using Microsoft.Extensions.AI;

namespace Pulse.Core.Embed;

/// <summary>The generator the embed stage and search use, and the model id stored with each vector. Not registered: no embeddings.</summary>
public sealed record EmbeddingModel(IEmbeddingGenerator<string, Embedding<float>> Generator, string Id);
