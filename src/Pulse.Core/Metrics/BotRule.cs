namespace Pulse.Core.Metrics;

/// <summary>
/// Which accounts are bots: GraphQL says so (<c>__typename</c> Bot), the login ends in <c>[bot]</c> (REST's spelling, kept by
/// imports), or the integration lists it in <c>bot_logins</c> (service accounts GitHub sees as users). Case-insensitive.
/// </summary>
public sealed class BotRule(IEnumerable<string> botLogins)
{
    private readonly HashSet<string> _listed = new(botLogins.Select(l => l.Trim()).Where(l => l.Length > 0), StringComparer.OrdinalIgnoreCase);

    public static readonly BotRule Default = new([]);

    public bool IsBot(string? login, string? type) =>
        string.Equals(type, "Bot", StringComparison.Ordinal)
        || (login is not null && (login.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase) || _listed.Contains(login)));
}
