using System.Text.Json;

namespace Pulse.Cli;

/// <summary>One clear line for the ways starting a verb fails on bad input, instead of a stack trace.</summary>
public static class StartFailure
{
    public static string? Describe(Exception e, string? datasetPath = null, int? port = null) => e switch
    {
        JsonException j => $"Data set file '{datasetPath}' is not valid JSON (line {j.LineNumber + 1}, byte {j.BytePositionInLine}): it is truncated or malformed.",
        InvalidDataException d => $"Data set file '{datasetPath}' is not a Pulse data set: {d.Message}",
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || io.InnerException is System.Net.Sockets.SocketException =>
            $"Port {port} is already in use; pick another with --port (0 picks a free one).",
        _ => null,
    };

    /// <summary>The database could not be opened or created (bad path, no permission, not a database file).</summary>
    public static string? DescribeDatabase(Exception e, string database) => e switch
    {
        IOException or UnauthorizedAccessException => $"Cannot open the database '{database}': {e.Message}",
        Microsoft.Data.Sqlite.SqliteException s => $"Cannot use the database '{database}': {s.Message}",
        _ => null,
    };
}
