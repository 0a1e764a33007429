using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>
/// JSON in and out of /auth/v1 without reflection: request bodies are read as a JsonDocument, responses
/// are written with a Utf8JsonWriter (GoTrue's field names and order).
/// </summary>
public static class AuthJson
{
    /// <summary>GoTrue's body limit.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The request body as a JSON object; anything else is GoTrue's 400 bad_json.</summary>
    public static async Task<JsonDocument> ReadObjectAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        var body = ctx.Request.Body;
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
            {
                if (buffer.Length + n > MaxBodyBytes)
                    throw new AuthException(413, "request_entity_too_large", $"Request body too large (max {MaxBodyBytes} bytes)");
                buffer.Write(chunk, 0, n);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(chunk); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)); }
        // The parser's message names a position, never the input, so it is safe to return.
        catch (JsonException e) { throw AuthErrors.BadJson(e.Message); }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw AuthErrors.BadJson("the body must be a JSON object");
        }
        return doc;
    }

    /// <summary>
    /// A string member; absent or null is null, any other type is bad_json (as Go's decoder says). A lone
    /// surrogate escape or a NUL cannot be stored as PostgreSQL text: bad_json too, never a database error.
    /// </summary>
    public static string? String(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v)) return null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Null: return null;
            case JsonValueKind.String:
                string text;
                try { text = v.GetString()!; }
                catch (InvalidOperationException) { throw AuthErrors.BadJson($"\"{name}\" is not a valid string"); }
                return text.Contains('\0') ? throw AuthErrors.BadJson($"\"{name}\" contains a NUL character") : text;
            default: throw AuthErrors.BadJson($"\"{name}\" must be a string");
        }
    }

    public static bool Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw AuthErrors.BadJson($"\"{name}\" must be a boolean"),
        };

    /// <summary>An object member as JSON text; absent or null is null.</summary>
    public static string? Object(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Object => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw AuthErrors.BadJson($"\"{name}\" must be an object"),
        } : null;

    /// <summary>A JSON object built by <paramref name="write"/>, as text.</summary>
    public static string Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Sends a JSON body GoTrue-style (application/json).</summary>
    public static async Task SendAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) write(w);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = buffer.WrittenCount;
        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
    }

    /// <summary>
    /// Writes JSON text from PostgreSQL (jsonb prints ", " and ": ") compactly, as GoTrue's encoder does.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter w, string name, string json)
    {
        w.WritePropertyName(name);
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.WriteTo(w);
    }

    /// <summary>GoTrue's time format: RFC 3339 in UTC, fractional seconds without trailing zeros.</summary>
    public static string Time(DateTime t) =>
        DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
