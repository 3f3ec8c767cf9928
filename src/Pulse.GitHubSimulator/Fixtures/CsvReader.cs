using System.Text;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class CsvReader
{
    public static IEnumerable<Dictionary<string, string>> ReadRecords(TextReader reader)
    {
        string[]? header = null;
        foreach (var row in ReadRows(reader))
        {
            if (header is null) { header = row; continue; }
            var record = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length && i < row.Length; i++) record[header[i]] = row[i];
            yield return record;
        }
    }

    private static IEnumerable<string[]> ReadRows(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                else quoted = false;
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                yield return [.. fields];
                fields.Clear();
            }
            else if (ch != '\r') field.Append(ch);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return [.. fields];
        }
    }
}
