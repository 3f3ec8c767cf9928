using System.Security.Cryptography;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// A GitHub App installed once: the simulator holds only the App's public key (as GitHub does) and verifies the App's
/// JWTs with it. <see cref="Repositories"/> null means every repository of the data set.
/// </summary>
public sealed record SimulatedApp(long AppId, string PublicKeyPem, long InstallationId, int? Repositories = null, int Users = 0)
{
    /// <summary>"ID:PUBLIC_KEY_PEM_FILE:INSTALLATION_ID[:REPOS[:USERS]]" (the CLI's --app). Throws <see cref="ArgumentException"/> naming the part.</summary>
    public static SimulatedApp Parse(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length is < 3 or > 5) throw new ArgumentException($"--app '{spec}' must be ID:PUBLIC_KEY_PEM_FILE:INSTALLATION_ID[:REPOS[:USERS]].");
        static long Number(string text, string what) =>
            long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--app: {what} '{text}' is not a positive number.");
        if (!File.Exists(parts[1])) throw new ArgumentException($"--app: the public key file '{parts[1]}' does not exist.");
        return new SimulatedApp(Number(parts[0], "the App id"), File.ReadAllText(parts[1]), Number(parts[2], "the installation id"),
            parts.Length > 3 ? (int)Number(parts[3], "REPOS") : null, parts.Length > 4 ? (int)Number(parts[4], "USERS") : 0);
    }

    public void Validate()
    {
        if (AppId <= 0 || InstallationId <= 0) throw new ArgumentException($"App {AppId}: ids must be positive.");
        if (Repositories is < 0 || Users < 0) throw new ArgumentException($"App {AppId}: repositories and users must not be negative.");
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(PublicKeyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new ArgumentException($"App {AppId}: the public key is not a PEM RSA key.");
        }
    }

    /// <summary>
    /// GitHub's GraphQL budget of an installation: 5,000 points an hour, plus 50 per repository and 50 per user beyond 20,
    /// at most 12,500 (Enterprise Cloud organisations' 10,000 is not simulated). A user budget set below GitHub's 5,000
    /// (<paramref name="userPointsPerHour"/>, a bench's stricter GitHub) scales it by the same factor, so an installation keeps
    /// its ratio to a user; never above GitHub's rule.
    /// </summary>
    public static int PointsPerHour(int repositories, int users, int userPointsPerHour = UserPointsPerHour)
    {
        var rule = Math.Min(12_500, 5_000 + 50 * repositories + 50 * Math.Max(0, users - 20));
        return userPointsPerHour >= UserPointsPerHour ? rule : Math.Max(1, (int)((long)rule * userPointsPerHour / UserPointsPerHour));
    }

    /// <summary>GitHub's GraphQL budget of a user per hour.</summary>
    public const int UserPointsPerHour = 5_000;
}
