using System.Text.Json;

namespace Pulse.Core.Transform;

/// <summary>
/// The aliases one step reads out of an answer's <c>data</c>, each parsed on its own. A follow-up answer mixes
/// the commits, reviews and comments steps, and each step's transform reads it: parsing the whole answer for
/// every step built a document three times over; the other steps' aliases are now only skipped (issue #7).
/// A wanted alias is parsed where it lies in the answer, not copied out of it first: the documents read the caller's bytes,
/// which outlive them (issue 11: the copies were 6% of an embedded sync's allocations).
/// </summary>
public static class StepAliases
{
    /// <summary>The wanted aliases present in <paramref name="payload"/>'s <c>data</c> (a null alias included); the caller disposes them.</summary>
    public static Dictionary<string, JsonDocument> Read(ReadOnlyMemory<byte> payload, IReadOnlySet<string> wanted)
    {
        var found = new Dictionary<string, JsonDocument>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(payload.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new InvalidDataException("A stored answer is not a JSON object.");
            var sawData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                sawData |= isData;
                if (!isData || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var alias = reader.GetString()!;
                    reader.Read();
                    if (wanted.Contains(alias))
                    {
                        found.Remove(alias, out var repeated);
                        repeated?.Dispose();
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        found[alias] = JsonDocument.Parse(payload[start..(int)reader.BytesConsumed]);
                    }
                    else reader.Skip();
                }
            }
            // Every stored answer has data (the client refuses others): one without it is damaged.
            if (!sawData) throw new InvalidDataException("A stored answer has no 'data'.");
            return found;
        }
        catch
        {
            foreach (var document in found.Values) document.Dispose();
            throw;
        }
    }
}
