using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Pulse.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// A batch's <c>INSERT … VALUES (@a, @b, …) [ON CONFLICT …] [RETURNING id]</c> run once for all its rows: the VALUES become
/// <c>SELECT … FROM unnest($1::bigint[], $2::text[], …)</c>, one array per parameter. Per row, PostgreSQL's statement overhead
/// (bind, executor start, trigger and index setup, the round trip's parse of each message) cost more than writing the row
/// itself; one statement per page pays it once. The rows mean what they meant one statement each:
/// <list type="bullet">
/// <item>DO NOTHING keeps the first copy of a repeated key (PostgreSQL skips the later ones in the same statement);</item>
/// <item>DO UPDATE ends as the last copy: earlier copies are dropped first, because one statement may not update a row twice;
/// each row's id (RETURNING) is found by its conflict key, so every copy gets its row's id and a row the WHERE left alone gets null.</item>
/// </list>
/// A batch of any other shape (an UPDATE, parameters after VALUES, a type without an array here) is not bulk: <see cref="For"/> is null.
/// </summary>
internal sealed partial class PostgresBulkInsert
{
    private static readonly Dictionary<string, PostgresBulkInsert?> Cache = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    private readonly string _sql;
    private readonly (NpgsqlDbType Type, Func<object?, object?> Value)[] _arrays;
    /// <summary>Parameter positions of the conflict key, when copies of a key must be merged (DO UPDATE); else null.</summary>
    private readonly int[]? _key;
    private readonly bool _returning;

    private PostgresBulkInsert(string sql, (NpgsqlDbType, Func<object?, object?>)[] arrays, int[]? key, bool returning)
    {
        _sql = sql;
        _arrays = arrays;
        _key = key;
        _returning = returning;
    }

    /// <summary>The bulk form of <paramref name="batch"/>, or null when it has none (it then runs one statement per row).</summary>
    public static PostgresBulkInsert? For(SqlBatch batch)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(batch.Key, out var bulk)) Cache[batch.Key] = bulk = Build(batch);
            return bulk;
        }
    }

    /// <summary>
    /// Runs the rows as one statement; the first column of each row's result (its id), or null. False when the rows cannot go
    /// as one (a DO UPDATE key with a null part, which never conflicts and so cannot name its row): run them one by one.
    /// </summary>
    public async Task<IReadOnlyList<long?>?> RunAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var keys = _key is null ? null : new string[rows.Count];
        var sent = rows;
        if (keys is not null)
        {
            // The last copy of each key, in the order of last copies.
            var last = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < rows.Count; i++)
            {
                if (KeyOf(rows[i]) is not { } k) return null;
                keys[i] = k;
                last[k] = i;
            }
            if (last.Count < rows.Count) sent = last.Values.Order().Select(i => rows[i]).ToList();
        }
        await using var command = new NpgsqlCommand(_sql, c, tx);
        for (var p = 0; p < _arrays.Length; p++)
        {
            var (type, value) = _arrays[p];
            var array = Array.CreateInstance(ElementType(type), sent.Count);
            for (var i = 0; i < sent.Count; i++) array.SetValue(value(sent[i][p]), i);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = array });
        }
        if (!_returning)
        {
            await command.ExecuteNonQueryAsync(ct);
            return new long?[rows.Count];
        }
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var values = new object?[_key!.Length];
            while (await reader.ReadAsync(ct))
            {
                for (var k = 0; k < values.Length; k++) values[k] = reader.GetValue(k + 1);
                ids[Key(values)!] = reader.GetInt64(0);
            }
        }
        return keys!.Select(k => ids.TryGetValue(k, out var id) ? id : (long?)null).ToList();
    }

    private string? KeyOf(object?[] row)
    {
        var values = new object?[_key!.Length];
        for (var k = 0; k < values.Length; k++) values[k] = _arrays[_key[k]].Value(row[_key[k]]);
        return Key(values);
    }

    // A key's parts as the database returns them (bigint → long, text → string); a null part matches nothing.
    private static string? Key(object?[] values) =>
        values.Any(v => v is null or DBNull) ? null : string.Join('\u001f', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    private static Type ElementType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bigint => typeof(long?),
        NpgsqlDbType.Double => typeof(double?),
        NpgsqlDbType.Boolean => typeof(bool?),
        NpgsqlDbType.TimestampTz => typeof(DateTime?),
        _ => typeof(string),
    };

    /// <summary>Each parameter type's array element, as Npgsql writes it; null for a type left to the row-by-row path.</summary>
    private static (NpgsqlDbType, string, Func<object?, object?>)? ArrayOf(DbType type) => type switch
    {
        DbType.Int64 => (NpgsqlDbType.Bigint, "bigint[]", v => v is null ? null : Convert.ToInt64(v, CultureInfo.InvariantCulture)),
        DbType.Double => (NpgsqlDbType.Double, "double precision[]", v => v is null ? null : Convert.ToDouble(v, CultureInfo.InvariantCulture)),
        DbType.Boolean => (NpgsqlDbType.Boolean, "boolean[]", v => v is null ? null : (bool)v),
        DbType.String => (NpgsqlDbType.Text, "text[]", v => (string?)v),
        DbType.DateTimeOffset => (NpgsqlDbType.TimestampTz, "timestamptz[]", v => v switch
        {
            null => null,
            DateTimeOffset d => d.UtcDateTime,
            DateTime d => d.Kind == DateTimeKind.Utc ? d : d.ToUniversalTime(),
            _ => throw new InvalidCastException($"A time parameter holds {v.GetType().Name}."),
        }),
        _ => null,
    };

    private static PostgresBulkInsert? Build(SqlBatch batch)
    {
        var m = InsertShape().Match(batch.Sql);
        if (!m.Success || m.Groups["rest"].Value.Contains('@')) return null;
        var columns = Split(m.Groups["columns"].Value);
        var values = Split(m.Groups["values"].Value);
        if (columns.Length != values.Length) return null;
        var arrays = batch.Parameters.Select(p => ArrayOf(p.Type)).ToList();
        if (arrays.Any(a => a is null)) return null;
        var index = batch.Parameters.Select((p, i) => (p.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

        var rest = m.Groups["rest"].Value.Trim();
        var returning = ReturningId().Match(rest);
        var conflict = ConflictShape().Match(rest);
        int[]? key = null;
        if (conflict.Success && conflict.Groups["action"].Value == "UPDATE")
        {
            // The key's columns, each fed by a parameter: copies are merged by it and ids matched back by it.
            var keyParameters = Split(conflict.Groups["key"].Value).Select(k => Array.IndexOf(columns, k)).Select(i => i < 0 ? null : values[i]).ToList();
            if (keyParameters.Any(v => v is null || !v.StartsWith('@') || !index.ContainsKey(v[1..]))) return null;
            key = keyParameters.Select(v => index[v![1..]]).ToArray();
        }
        // An id per row needs the key to find it by; without DO UPDATE a repeated row would have no id to share.
        if (returning.Success && key is null) return null;
        if (!returning.Success && rest.Contains("RETURNING", StringComparison.OrdinalIgnoreCase)) return null;

        var select = values.Select(v => v.StartsWith('@') ? index.TryGetValue(v[1..], out var i) ? $"v.p{i}" : null : v).ToList();
        if (select.Any(s => s is null)) return null;
        var unnest = string.Join(", ", arrays.Select((a, i) => $"${i + 1}::{a!.Value.Item2}"));
        var names = string.Join(", ", arrays.Select((_, i) => $"p{i}"));
        var body = returning.Success ? rest[..returning.Index] + "RETURNING id, " + string.Join(", ", key!.Select(k => columns[Array.IndexOf(values, "@" + batch.Parameters[k].Name)])) : rest;
        var sql = $"INSERT INTO {m.Groups["table"].Value} ({string.Join(", ", columns)}) SELECT {string.Join(", ", select)} FROM unnest({unnest}) AS v({names}) {body}";
        return new PostgresBulkInsert(sql, arrays.Select(a => (a!.Value.Item1, a.Value.Item3)).ToArray(), key, returning.Success);
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^\s*INSERT INTO (?<table>\w+) \((?<columns>[^()]*)\)\s*VALUES \((?<values>[^()]*)\)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex InsertShape();

    [GeneratedRegex(@"^ON CONFLICT \((?<key>[^()]*)\) DO (?<action>NOTHING|UPDATE)", RegexOptions.Singleline)]
    private static partial Regex ConflictShape();

    [GeneratedRegex(@"RETURNING id\s*$", RegexOptions.Singleline)]
    private static partial Regex ReturningId();
}
