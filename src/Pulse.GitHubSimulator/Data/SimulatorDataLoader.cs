using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// Loads a data set (DATASET.md, "pulse-github-dataset/1") from JSON or gzip-compressed JSON,
/// streaming: only one pull request is materialised as a JSON tree at a time while reading.
/// </summary>
public static class SimulatorDataLoader
{
    public static ISimulatorData LoadFile(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file);
    }

    public static ISimulatorData FromJson(string json) => Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    /// <summary>Reads the stream to its end; gzip is detected by its magic bytes (1f 8b).</summary>
    public static ISimulatorData Load(Stream stream)
    {
        var buffered = new BufferedStream(stream, 64 * 1024);
        var head = new byte[2];
        var got = buffered.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        Stream source = new PrefixedStream(head.AsMemory(0, got), buffered);
        if (got == 2 && head[0] == 0x1f && head[1] == 0x8b) source = new GZipStream(source, CompressionMode.Decompress);
        return Read(new JsonStreamReader(source));
    }

    private static SimulatorStore Read(JsonStreamReader reader)
    {
        reader.Expect(JsonTokenType.StartObject);
        var generatedAt = DateTimeOffset.UnixEpoch;
        var owners = new List<JsonObject>();
        var absent = new List<string>();
        SimulatorStore? store = null;
        // generatedAt normally comes first; a store is created lazily so it can start from it.
        SimulatorStore Store() => store ??= new SimulatorStore(generatedAt);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            switch (reader.Text)
            {
                case "generatedAt":
                    generatedAt = DateTimeOffset.Parse((string?)reader.ReadNode() ?? "1970-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "owners":
                    foreach (var owner in reader.ReadNode() as JsonArray ?? [])
                        if (owner is JsonObject o) owners.Add(o);
                    break;
                case "absentFields":
                    foreach (var field in reader.ReadNode() as JsonArray ?? [])
                        absent.Add((string?)field ?? throw new JsonException("Data set: absentFields must hold \"Type.field\" strings."));
                    break;
                case "repositories":
                    foreach (var o in owners) Store().AddOwner(Detach(o));
                    owners.Clear();
                    ReadRepositories(reader, Store());
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        foreach (var o in owners) Store().AddOwner(Detach(o));
        Store().DeclareAbsent(absent);
        return Store();
    }

    private static void ReadRepositories(JsonStreamReader reader, SimulatorStore store)
    {
        reader.Expect(JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var repoJson = new JsonObject();
            var pending = new List<JsonObject>();
            RepositoryRecord? repo = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.Text!;
                if (name != "pullRequests") { repoJson[name] = reader.ReadNode(); continue; }
                reader.Expect(JsonTokenType.StartArray);
                // Pull requests usually come after the repository's own fields; register it then.
                if (repoJson["owner"] is not null && repoJson["name"] is not null) repo ??= store.AddRepository(repoJson);
                while (reader.ReadNode() is JsonObject pr)
                {
                    if (repo is null) pending.Add(pr);
                    else store.AddPullRequest(repo, pr);
                }
            }
            repo ??= store.AddRepository(repoJson);
            // Fields read after the repository was registered (issues after pullRequests) are indexed now.
            store.IndexIssues(repo);
            foreach (var pr in pending) store.AddPullRequest(repo, pr);
        }
    }

    private static JsonObject Detach(JsonObject o)
    {
        o.Parent?.AsArray().Remove(o);
        return o;
    }

    /// <summary>Replays the sniffed bytes before the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_prefix.IsEmpty) return rest.Read(buffer, offset, count);
            var n = Math.Min(count, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer.AsSpan(offset, n));
            _prefix = _prefix[n..];
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
