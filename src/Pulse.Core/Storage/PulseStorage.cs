namespace Pulse.Core.Storage;

/// <summary>The stores of one backend (SQLite or PostgreSQL), handed to the pipeline together.</summary>
public sealed record PulseStorage(
    ITenantStore Tenants,
    IRepositoryStore Repositories,
    IJobStore Jobs,
    ICheckpointStore Checkpoints,
    ITransformStore Transforms,
    IEmbeddingStore Embeddings,
    IRunLedger Ledger);
