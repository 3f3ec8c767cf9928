using System.Globalization;

namespace Pulse.Storage.Sqlite;

/// <summary>Reads Dapper's untyped rows: SQLite hands back long, double, string or null, whatever the column was declared as.</summary>
internal static class SqliteValues
{
    public static long Long(this IDictionary<string, object?> row, string column) => Convert.ToInt64(row[column], CultureInfo.InvariantCulture);

    public static long? LongOrNull(this IDictionary<string, object?> row, string column) =>
        row[column] is null ? null : Convert.ToInt64(row[column], CultureInfo.InvariantCulture);

    public static bool Bool(this IDictionary<string, object?> row, string column) => row[column] is not null && row.Long(column) != 0;

    public static string? Str(this IDictionary<string, object?> row, string column) => row[column] as string;

    public static string Text(this IDictionary<string, object?> row, string column) => row[column] as string ?? "";

    public static DateTimeOffset? Date(this IDictionary<string, object?> row, string column) =>
        row[column] is string s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
