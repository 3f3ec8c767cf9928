using System.Text.RegularExpressions;

namespace Pulse.Storage.Postgres;

/// <summary>Value conversions at the PostgreSQL boundary.</summary>
internal static partial class Pg
{
    /// <summary>timestamptz takes UTC only (Npgsql refuses other offsets).</summary>
    public static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    public static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    /// <summary>
    /// jsonb rejects the escape \u0000 that GitHub answers may hold. The raw payload keeps every
    /// other byte; each unescaped \u0000 becomes \uFFFD, the same normalisation TextNormalizer
    /// applies to text columns, so what the transform reads equals what SQLite's copy yields.
    /// </summary>
    public static string JsonbSafe(string json) =>
        !json.Contains("\\u0000", StringComparison.Ordinal) ? json : NulEscape().Replace(json, m => m.Groups[1].Value + "\\uFFFD");

    // An even run of backslashes (escaped backslashes) and then \u0000: a real NUL, not the text "\u0000".
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex NulEscape();
}
