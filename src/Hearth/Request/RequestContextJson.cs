using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.Request;

/// <summary>request.headers and request.cookies as PostgREST sets them: JSON objects, header names in lower case.</summary>
public static class RequestContextJson
{
    /// <summary>Every header but Cookie (request.cookies has those); a repeated header keeps its last value.</summary>
    public static string Headers(IHeaderDictionary headers)
    {
        // Built on every request, so no LINQ: header names are already unique (case-insensitively).
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Span<char> lower = stackalloc char[128];
            foreach (var (name, values) in headers)
            {
                if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)) continue;
                var value = values.Count > 0 ? values[^1] ?? "" : "";
                if (name.Length <= lower.Length)
                {
                    var n = name.AsSpan().ToLowerInvariant(lower);
                    w.WriteString(lower[..n], value);
                }
                else w.WriteString(name.ToLowerInvariant(), value);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The cookies as a JSON object; "{}" without a Cookie header (the session's default, so nothing is sent).</summary>
    public static string Cookies(HttpRequest request)
    {
        if (request.Headers.Cookie.Count == 0) return Data.SessionDefaults.NoCookies;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in request.Cookies) w.WriteString(name, value);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
