using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Pulse.Core.Transform;

/// <summary>Hash of the text an entity is embedded from: an embedding is recomputed only when it changes.</summary>
public static class ContentHash
{
    /// <summary>The first 128 bits of the SHA-256 of the text's UTF-8, as 32 lower-case hex digits.</summary>
    public static string Of(string text)
    {
        // Every row of a sync is hashed, some bodies are large: encode into a pooled buffer, not a new array per row.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
