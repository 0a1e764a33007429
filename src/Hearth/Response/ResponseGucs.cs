using Hearth.Errors;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace Hearth.Response;

/// <summary>
/// response.headers and response.status, set from SQL (a function, trigger or the pre-request) with
/// set_config, as in PostgREST. Every statement returns them as two text columns (see Sql.ResponseGucsSql);
/// a header named there replaces the one Hearth would send, so Location or Content-Type can be overridden.
/// </summary>
public sealed record ResponseGucs(IReadOnlyList<KeyValuePair<string, string>> Headers, int? Status)
{
    public static readonly ResponseGucs None = new([], null);

    /// <summary>Reads the two columns at <paramref name="ordinal"/> (headers) and the next (status); invalid values are 500s.</summary>
    public static async Task<ResponseGucs> ReadAsync(NpgsqlDataReader reader, int ordinal, CancellationToken ct)
    {
        var headers = await reader.IsDBNullAsync(ordinal, ct) ? null : reader.GetString(ordinal);
        var status = await reader.IsDBNullAsync(ordinal + 1, ct) ? null : reader.GetString(ordinal + 1);
        return headers is null && status is null ? None : Parse(headers, status);
    }

    public static ResponseGucs Parse(string? headersJson, string? statusText) => new(ParseHeaders(headersJson), ParseStatus(statusText));

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

    /// <summary>Applies both to a response whose own headers are already set.</summary>
    public void ApplyTo(HttpResponse response)
    {
        if (ReferenceEquals(this, None)) return; // the common case, on every response
        if (Status is { } status) response.StatusCode = status;
        foreach (var group in Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            response.Headers[group.Key] = new StringValues(group.Select(h => h.Value).ToArray());
    }
}
