namespace Hearth.Request;

/// <summary>
/// Splits a raw query string into decoded (key, value) pairs the way PostgREST's HTTP library does:
/// an optional leading '?' is dropped; pairs are separated by '&amp;' or ';'; the key ends at the first
/// '='; '+' means a space (so a literal plus must be sent as %2B), then %XX sequences are decoded
/// (invalid ones are kept as written). A pair without '=' has a null value, which PostgREST ignores.
/// </summary>
internal static class QueryStringSplitter
{
    public static List<(string Key, string? Value)> Split(string rawQuery)
    {
        var pairs = new List<(string, string?)>();
        var text = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOfAny(['&', ';'], start);
            if (end < 0) end = text.Length;
            var segment = text[start..end];
            var equals = segment.IndexOf('=');
            pairs.Add(equals < 0
                ? (Decode(segment), null)
                : (Decode(segment[..equals]), Decode(segment[(equals + 1)..])));
            start = end + 1;
        }
        return pairs;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
