namespace Pulse.Core.Storage;

/// <summary>The stores the server needs beside the pipeline's, from the same backend.</summary>
public sealed record ServerStorage(IApiKeyStore ApiKeys, IIntegrationStore Integrations, IJobControlStore JobControl, IPullRequestQueryStore PullRequests);
