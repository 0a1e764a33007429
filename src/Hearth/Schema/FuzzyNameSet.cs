using System.Globalization;
using System.Text;

namespace Hearth.Schema;

/// <summary>
/// Approximate name matching for PostgREST's "Perhaps you meant …" hints, with the metric of the fuzzyset
/// library (0.2.x) PostgREST uses, so the same names are suggested:
/// <list type="number">
/// <item>A name equal to an entry, ignoring case, matches it alone with score 1.</item>
/// <item>Otherwise, for gram size 3 and then 2 (the first size with a result wins): the lowercased name, stripped
/// of everything but letters, digits, spaces and commas and enclosed in '-', is cut into n-grams; each entry
/// sharing a gram is scored by the cosine similarity of the two gram-count vectors.</item>
/// <item>The 50 best by cosine are rescored by normalized Levenshtein similarity of the lowercased names,
/// 1 − distance / longer length, and kept when at least the minimum score, best first.</item>
/// </list>
/// Entries are kept once per lowercased name. Ties (rare) go to the entry first in ordinal name order, where
/// PostgREST's order depends on its hash maps.
/// </summary>
public sealed class FuzzyNameSet
{
    /// <summary>The library's default minimum score (its getOne/get).</summary>
    public const double DefaultMinScore = 0.33;

    private const int SmallestGram = 2, LargestGram = 3, Rescored = 50;

    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _exact = new(StringComparer.Ordinal);
    // gram size → gram → (entry index, count in that entry)
    private readonly Dictionary<string, List<(int Entry, int Count)>>[] _index =
        [.. Enumerable.Range(0, LargestGram + 1).Select(_ => new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal))];

    private sealed record Entry(string Name, string Key, double[] Magnitudes);

    public FuzzyNameSet(IEnumerable<string> names)
    {
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            var key = Lower(name);
            if (_exact.ContainsKey(key)) continue;
            var magnitudes = new double[LargestGram + 1];
            for (var size = SmallestGram; size <= LargestGram; size++)
            {
                var grams = Grams(key, size);
                magnitudes[size] = Magnitude(grams);
                foreach (var (gram, count) in grams)
                {
                    if (!_index[size].TryGetValue(gram, out var postings)) _index[size][gram] = postings = [];
                    postings.Add((_entries.Count, count));
                }
            }
            var entry = new Entry(name, key, magnitudes);
            _entries.Add(entry);
            _exact[key] = entry;
        }
    }

    public int Count => _entries.Count;

    /// <summary>Every match scoring at least <paramref name="minScore"/>, best first.</summary>
    public IReadOnlyList<(double Score, string Name)> Matches(string name, double minScore = DefaultMinScore)
    {
        var key = Lower(name);
        if (_exact.TryGetValue(key, out var exact)) return [(1.0, exact.Name)];
        for (var size = LargestGram; size >= SmallestGram; size--)
        {
            var query = Grams(key, size);
            var dots = new Dictionary<int, int>();
            foreach (var (gram, count) in query)
                if (_index[size].TryGetValue(gram, out var postings))
                    foreach (var (entry, entryCount) in postings)
                        dots[entry] = dots.GetValueOrDefault(entry) + count * entryCount;
            if (dots.Count == 0) continue;
            var queryMagnitude = Magnitude(query);
            var found = dots
                .Select(d => (Cosine: d.Value / (queryMagnitude * _entries[d.Key].Magnitudes[size]), Index: d.Key))
                .OrderByDescending(m => m.Cosine).ThenBy(m => m.Index)
                .Take(Rescored)
                .Select(m => (Score: Similarity(key, _entries[m.Index].Key), m.Index))
                .OrderByDescending(m => m.Score).ThenBy(m => m.Index)
                .Where(m => m.Score >= minScore)
                .Select(m => (m.Score, _entries[m.Index].Name))
                .ToList();
            if (found.Count > 0) return found;
        }
        return [];
    }

    /// <summary>The best match scoring at least <paramref name="minScore"/>, or null.</summary>
    public string? Best(string name, double minScore = DefaultMinScore) =>
        Matches(name, minScore) is [var best, ..] ? best.Name : null;

    private static string Lower(string s) => s.ToLower(CultureInfo.InvariantCulture);

    /// <summary>Gram counts of the normalized, '-'-enclosed name, by code point.</summary>
    private static Dictionary<string, int> Grams(string key, int size)
    {
        var runes = new List<Rune> { new('-') };
        foreach (var r in key.EnumerateRunes())
            if (Rune.IsLetterOrDigit(r) || Rune.IsNumber(r) || Rune.IsWhiteSpace(r) || r.Value == ',') runes.Add(r);
        runes.Add(new Rune('-'));
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        for (var i = 0; i + size <= runes.Count; i++)
        {
            sb.Clear();
            for (var j = i; j < i + size; j++) sb.Append(runes[j].ToString());
            var gram = sb.ToString();
            grams[gram] = grams.GetValueOrDefault(gram) + 1;
        }
        return grams;
    }

    private static double Magnitude(Dictionary<string, int> grams) => Math.Sqrt(grams.Values.Sum(c => (double)c * c));

    /// <summary>1 − Levenshtein distance / length of the longer name (by code point); 1 for two empty names.</summary>
    public static double Similarity(string a, string b)
    {
        var x = a.EnumerateRunes().ToArray();
        var y = b.EnumerateRunes().ToArray();
        var longer = Math.Max(x.Length, y.Length);
        if (longer == 0) return 1.0;
        var previous = new int[y.Length + 1];
        var current = new int[y.Length + 1];
        for (var j = 0; j <= y.Length; j++) previous[j] = j;
        for (var i = 1; i <= x.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= y.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return 1.0 - (double)previous[y.Length] / longer;
    }
}
