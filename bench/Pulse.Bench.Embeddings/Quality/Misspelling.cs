using System.Text;

namespace Pulse.Bench.Embeddings.Quality;

/// <summary>
/// A misspelled query made from a planted text, deterministically: a stretch of <see cref="Words"/> words of the text without
/// its identifier (a query people type, not the whole text), where each word of four letters or more gets, with probability
/// one half (at least two words), one typing slip: two neighbouring letters swapped, a letter dropped, a letter doubled, or a
/// letter replaced by its neighbour on a QWERTY keyboard.
/// </summary>
internal static class Misspelling
{
    public const int Words = 6;

    private static readonly string[] Rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

    public static string Of(string text, string identifier, int seed)
    {
        var random = new Random(seed);
        var all = text.Replace(identifier, "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var words = all.Skip(random.Next(Math.Max(1, all.Length - Words + 1))).Take(Words).ToArray();
        var candidates = Enumerable.Range(0, words.Length).Where(i => Letters(words[i]) >= 4).ToList();
        var chosen = candidates.Where(_ => random.Next(2) == 0).ToHashSet();
        foreach (var i in candidates.OrderByDescending(i => Letters(words[i])).ThenBy(i => i))
        {
            if (chosen.Count >= Math.Min(2, candidates.Count)) break;
            chosen.Add(i);
        }
        foreach (var i in chosen.Order()) words[i] = Slip(words[i], random);
        return string.Join(' ', words);
    }

    private static int Letters(string word) => word.Count(char.IsLetter);

    private static string Slip(string word, Random random)
    {
        // Inside the word's run of letters, never its first letter (people rarely get that wrong).
        var letters = Enumerable.Range(1, word.Length - 1).Where(i => char.IsLetter(word[i])).ToList();
        var at = letters[random.Next(letters.Count)];
        var text = new StringBuilder(word);
        switch (random.Next(4))
        {
            case 0 when at + 1 < word.Length && char.IsLetter(word[at + 1]) && word[at] != word[at + 1]:
                (text[at], text[at + 1]) = (word[at + 1], word[at]);
                break;
            case 1:
                text.Remove(at, 1);
                break;
            case 2:
                text.Insert(at, word[at]);
                break;
            default:
                text[at] = Neighbour(word[at], random);
                break;
        }
        return text.ToString();
    }

    private static char Neighbour(char c, Random random)
    {
        var lower = char.ToLowerInvariant(c);
        foreach (var row in Rows)
        {
            var i = row.IndexOf(lower);
            if (i < 0) continue;
            var j = i == 0 ? 1 : i == row.Length - 1 ? i - 1 : i + (random.Next(2) == 0 ? -1 : 1);
            return char.IsUpper(c) ? char.ToUpperInvariant(row[j]) : row[j];
        }
        return c;
    }
}
