namespace Hearth.Request;

/// <summary>
/// Splits a raw query string into decoded (key, value) pairs the way PostgREST's HTTP library does:
/// an optional leading '?' is dropped; pairs are separated by '&amp;' or ';'; the key ends at the first
/// '='; '+' means a space (so a literal plus must be sent as %2B), then %XX sequences are decoded
/// (invalid ones are kept as written). A pair without '=' has a null value, which PostgREST ignores.
/// </summary>
internal static class QueryStringSplitter
{
    private static readonly char[] QuerySeparators = ['&', ';'];
    private static readonly char[] FormSeparators = ['&'];

    public static List<(string Key, string? Value)> Split(string rawQuery) =>
        Split(rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery, QuerySeparators);

    /// <summary>An application/x-www-form-urlencoded body: the same decoding, pairs separated by '&amp;' only, empty ones skipped.</summary>
    public static List<(string Key, string? Value)> SplitForm(string body) =>
        Split(body, FormSeparators).Where(p => p.Key.Length > 0 || p.Value is not null).ToList();

    private static List<(string Key, string? Value)> Split(string text, char[] separators)
    {
        // Room for a typical query string's pairs without growing; counting the separators first cost more.
        var pairs = new List<(string, string?)>(4);
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOfAny(separators, start);
            if (end < 0) end = text.Length;
            var equals = text.IndexOf('=', start, end - start);
            pairs.Add(equals < 0
                ? (Decode(text[start..end]), null)
                : (Decode(text[start..equals]), Decode(text[(equals + 1)..end])));
            start = end + 1;
        }
        return pairs;
    }

    // Most keys and values hold neither '+' nor '%': then they are already decoded.
    private static string Decode(string s) => s.AsSpan().IndexOfAny('+', '%') < 0 ? s : Uri.UnescapeDataString(s.Replace('+', ' '));
}
