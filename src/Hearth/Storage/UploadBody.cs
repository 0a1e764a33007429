using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Hearth.Storage;

/// <summary>
/// An upload's bytes and what describes them, read as the storage server reads them: a raw body (Content-Type,
/// Cache-Control, base64 JSON in x-metadata) or multipart/form-data (fields cacheControl, contentType,
/// metadata, then the file part). The content is a stream over the request, never buffered whole.
/// </summary>
public sealed record UploadBody(Stream Content, string ContentType, string CacheControl, string? UserMetadataJson, long? DeclaredLength)
{
    private const int MaxFieldBytes = 64 * 1024;

    public static async Task<UploadBody> ReadAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        var type = request.ContentType ?? "";
        if (type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)) return await ReadMultipartAsync(ctx, type);
        return new UploadBody(request.Body, type.Length > 0 ? type : "application/octet-stream",
            request.Headers.CacheControl.ToString() is { Length: > 0 } cc ? cc : "no-cache", UserMetadata(request.Headers["x-metadata"].ToString(), base64: true),
            request.ContentLength);
    }

    private static async Task<UploadBody> ReadMultipartAsync(HttpContext ctx, string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
            throw StorageErrors.NoContent();
        var reader = new MultipartReader(boundary, ctx.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        string? cacheTime = null, mime = null, metadata = null;
        MultipartSection? section;
        try { section = await reader.ReadNextSectionAsync(ctx.RequestAborted); }
        catch (IOException) { throw StorageErrors.NoContent(); }
        while (section is not null)
        {
            var disposition = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var d) ? d : null;
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? "").Value ?? "";
            if (disposition is not null && (disposition.FileName.HasValue || disposition.FileNameStar.HasValue))
                return new UploadBody(section.Body, mime is { Length: > 0 } ? mime : section.ContentType ?? "application/octet-stream",
                    cacheTime is { Length: > 0 } ? "max-age=" + cacheTime : "no-cache", metadata, null);
            var value = await ReadFieldAsync(section.Body, ctx.RequestAborted);
            switch (name)
            {
                case "cacheControl": cacheTime = value; break;
                case "contentType": mime = value; break;
                case "metadata" or "userMetadata": metadata = UserMetadata(value, base64: false); break;
            }
            section = await reader.ReadNextSectionAsync(ctx.RequestAborted);
        }
        throw StorageErrors.NoContent();
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > MaxFieldBytes) throw StorageErrors.EntityTooLarge();
            buffer.Write(chunk, 0, n);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>User metadata: a JSON object (base64-encoded in the x-metadata header); anything else is ignored, as on Supabase.</summary>
    private static string? UserMetadata(string value, bool base64)
    {
        if (value.Length == 0) return null;
        if (value.Length > MaxFieldBytes) throw StorageErrors.EntityTooLarge();
        try
        {
            var json = base64 ? Encoding.UTF8.GetString(Convert.FromBase64String(value)) : value;
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.GetRawText() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException) { return null; }
    }

    /// <summary>Supabase's rule: type/subtype must match an allowed type, or its type with /*.</summary>
    public static void CheckMimeType(string contentType, string[]? allowed)
    {
        if (allowed is not { Length: > 0 }) return;
        var mime = contentType.Split(';')[0].Trim();
        var parts = mime.Split('/');
        if (parts.Length < 2) throw StorageErrors.InvalidMimeType(mime);
        foreach (var a in allowed)
        {
            var ap = a.Split(';')[0].Trim().Split('/');
            if (ap.Length < 2) continue;
            if (ap[0].Equals(parts[0], StringComparison.OrdinalIgnoreCase) && (ap[1] == "*" || ap[1].Equals(parts[1], StringComparison.OrdinalIgnoreCase))) return;
        }
        throw StorageErrors.InvalidMimeType(mime);
    }
}
