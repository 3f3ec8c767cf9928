using System.Security.Cryptography;
using System.Text;

namespace Pulse.Core.Transform;

/// <summary>Hash of the text an entity is embedded from: an embedding is recomputed only when it changes.</summary>
public static class ContentHash
{
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
