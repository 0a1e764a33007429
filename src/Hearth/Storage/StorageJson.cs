using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.Storage;

/// <summary>Storage's JSON in and out: bodies read with JsonDocument, answers written with Utf8JsonWriter (no reflection).</summary>
public static class StorageJson
{
    public static async Task WriteAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        await WriteRawAsync(ctx, status, buffer.WrittenMemory);
    }

    public static async Task WriteRawAsync(HttpContext ctx, int status, ReadOnlyMemory<byte> json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = json.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await ctx.Response.Body.WriteAsync(json, ctx.RequestAborted);
    }

    public static Task MessageAsync(HttpContext ctx, string message) =>
        WriteAsync(ctx, 200, w => { w.WriteStartObject(); w.WriteString("message", message); w.WriteEndObject(); });

    /// <summary>The request's JSON body (at most 1 MiB): an object, else a 400 as the storage server answers.</summary>
    public static async Task<JsonDocument> ReadObjectAsync(HttpContext ctx)
    {
        const int max = 1024 * 1024;
        if (ctx.Request.ContentLength > max) throw StorageErrors.EntityTooLarge();
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            if (body.Length + n > max) throw StorageErrors.EntityTooLarge();
            body.Write(buffer, 0, n);
        }
        if (body.Length == 0) return JsonDocument.Parse("{}");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException) { throw StorageErrors.InvalidRequest("Body is not valid JSON"); }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw StorageErrors.InvalidRequest("body must be object");
        }
        return doc;
    }

    public static string? String(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null => null,
        _ => throw StorageErrors.InvalidRequest($"body/{name} must be string"),
    } : null;

    public static string RequiredString(JsonElement o, string name) =>
        String(o, name) ?? throw StorageErrors.InvalidRequest($"body must have required property '{name}'");

    public static bool? Bool(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw StorageErrors.InvalidRequest($"body/{name} must be boolean"),
    } : null;

    public static long? Integer(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetInt64(out var n) => n,
        JsonValueKind.Null => null,
        _ => throw StorageErrors.InvalidRequest($"body/{name} must be integer"),
    } : null;

    public static List<string>? Strings(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array) throw StorageErrors.InvalidRequest($"body/{name} must be array");
        var list = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw StorageErrors.InvalidRequest($"body/{name} must be array of strings"));
        return list;
    }
}
