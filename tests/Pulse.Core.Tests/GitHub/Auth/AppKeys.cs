using System.Security.Cryptography;
using Pulse.GitHubSimulator.Http;

namespace Pulse.Core.Tests.GitHub.Auth;

/// <summary>A fresh RSA key pair as GitHub issues an App's: the private PEM for Pulse, the public one for the simulator.</summary>
public sealed record AppKeys(string PrivatePem, string PublicPem)
{
    public static AppKeys Create()
    {
        using var rsa = RSA.Create(2048);
        return new AppKeys(rsa.ExportRSAPrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
    }

    public SimulatedApp App(long appId, long installationId, int? repositories = null, int users = 0) =>
        new(appId, PublicPem, installationId, repositories, users);
}
