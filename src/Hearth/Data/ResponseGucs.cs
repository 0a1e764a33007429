using Hearth.Errors;
using System.Globalization;
using System.Text.Json;

namespace Hearth.Data;

/// <summary>
/// response.headers and response.status, set from SQL (a function, trigger or the pre-request) with
/// set_config, as in PostgREST. Every main statement returns them as two text columns (Sql.ResultColumns);
/// a header named there replaces the one Hearth would send, so Location or Content-Type can be overridden.
/// Parsed while the transaction is open, so invalid values roll a write back.
/// </summary>
public sealed record ResponseGucs(IReadOnlyList<KeyValuePair<string, string>> Headers, int? Status)
{
    public static readonly ResponseGucs None = new([], null);

    /// <summary>The two settings as SQL left them (null: not set); invalid values are 500s (PGRST111/PGRST112).</summary>
    public static ResponseGucs Parse(string? headersJson, string? statusText) =>
        headersJson is null && statusText is null ? None : new(ParseHeaders(headersJson), ParseStatus(statusText));

    private static List<KeyValuePair<string, string>> ParseHeaders(string? json)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (json is null) return headers;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw InvalidHeaders();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) throw InvalidHeaders();
                var props = item.EnumerateObject().ToList();
                if (props.Count != 1 || props[0].Value.ValueKind != JsonValueKind.String) throw InvalidHeaders();
                headers.Add(new(props[0].Name, props[0].Value.GetString()!));
            }
        }
        catch (JsonException) { throw InvalidHeaders(); }
        return headers;
    }

    private static int? ParseStatus(string? text)
    {
        if (text is null) return null;
        var digits = text.TrimStart();
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end])) end++;
        if (end == 0 || !int.TryParse(digits.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 100 or > 599)
            throw ApiErrors.InvalidResponseStatus();
        return status;
    }

    private static ApiException InvalidHeaders() => ApiErrors.InvalidResponseHeaders();
}
