using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Hearth.Auth;

/// <summary>request.jwt.claims as PostgREST sets it: the token's claims with "role" replaced by the role in use.</summary>
public static class ClaimsJson
{
    public static string WithRole(JsonElement claims, string role)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var p in claims.EnumerateObject())
                if (p.Name != "role") p.WriteTo(w);
            w.WriteString("role", role);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The claims of a request without a token.</summary>
    public static string Anonymous(string anonRole)
    {
        using var empty = JsonDocument.Parse("{}");
        return WithRole(empty.RootElement, anonRole);
    }
}
