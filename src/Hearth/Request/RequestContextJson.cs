using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.Request;

/// <summary>request.headers and request.cookies as PostgREST sets them: JSON objects, header names in lower case.</summary>
public static class RequestContextJson
{
    /// <summary>Every header but Cookie (request.cookies has those); a repeated header keeps its last value.</summary>
    public static string Headers(IHeaderDictionary headers) =>
        Write(headers.Where(h => !h.Key.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value.Count > 0 ? h.Value[^1] ?? "" : "")));

    public static string Cookies(IRequestCookieCollection cookies) => cookies.Count == 0 ? "{}" : Write(cookies);

    private static string Write(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, value) in pairs)
                if (seen.Add(name)) w.WriteString(name, value);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
