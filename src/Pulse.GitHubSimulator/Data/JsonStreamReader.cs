using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// Pulls JSON tokens from a stream through a growing buffer, so a data set of any size is read
/// without holding it whole; <see cref="ReadNode"/> materialises one value (one pull request) at a time.
/// </summary>
internal sealed class JsonStreamReader(Stream stream)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private JsonReaderState _state;

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The current property name or string value.</summary>
    public string? Text { get; private set; }

    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            if (reader.Read())
            {
                TokenType = reader.TokenType;
                Text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString() : null;
                Commit(ref reader);
                return true;
            }
            if (_eof) return false;
            Fill();
        }
    }

    /// <summary>Reads the next whole value (object, array or scalar) as a node; null at the end of the enclosing array.</summary>
    public JsonNode? ReadNode()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            if (reader.Read() && reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                TokenType = reader.TokenType;
                Commit(ref reader);
                return null;
            }
            reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            if (reader.Read() && reader.TrySkip())
            {
                var raw = _buffer.AsSpan(_start, (int)reader.BytesConsumed);
                // The slice starts after the previous token, so step over separators to the value itself.
                var offset = 0;
                while (offset < raw.Length && raw[offset] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)',' or (byte)':') offset++;
                var node = JsonNode.Parse(raw[offset..]);
                TokenType = reader.TokenType;
                Commit(ref reader);
                return node;
            }
            if (_eof) throw new JsonException("Unexpected end of data set.");
            Fill();
        }
    }

    public void Skip() => ReadNode();

    public void Expect(JsonTokenType type)
    {
        if (!Read() || TokenType != type)
            throw new JsonException($"Data set: expected {type}, found {TokenType}.");
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    public override string ToString() => Encoding.UTF8.GetString(_buffer, _start, Math.Min(80, _end - _start));
}
