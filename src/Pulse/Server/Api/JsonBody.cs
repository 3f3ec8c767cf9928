using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pulse.Server.Api;

/// <summary>
/// Reads request bodies strictly: bounded size, snake_case names, unknown fields refused, so a typo
/// is a 400 with its reason rather than a silently ignored setting.
/// </summary>
public static class JsonBody
{
    /// <summary>Largest accepted body, in bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength > MaxBytes) return (null, Errors.Bad($"The body is larger than {MaxBytes} bytes."));
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) return (null, Errors.Bad($"The body is larger than {MaxBytes} bytes."));
        }
        if (buffer.Length == 0) return (null, Errors.Bad("The body is empty; send a JSON object."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.ToArray(), Options);
            return value is null ? (null, Errors.Bad("The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            // The message names the field or position, never a value, so a token cannot leak through it.
            return (null, Errors.Bad($"Malformed JSON: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}{(e.Path is { } p ? $" (at {p})" : "")}"));
        }
    }
}

/// <summary>Error answers: always a JSON object with a one-line reason.</summary>
public static class Errors
{
    public static IResult Bad(string reason) => Results.Json(new { error = reason }, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string what) => Results.Json(new { error = $"{what} not found." }, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string reason) => Results.Json(new { error = reason }, statusCode: StatusCodes.Status409Conflict);
}
