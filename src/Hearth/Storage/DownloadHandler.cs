using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Hearth.Storage;

/// <summary>
/// Downloads (GET, and HEAD for exists()) and info: authenticated (the row read as the request's role, so a
/// policy that hides it makes it a 404), public (public buckets, no token) and signed (a download token).
/// The file is opened while the row's transaction is open, so a concurrent delete cannot pull it away;
/// it is sent after the connection is back in the pool. Range, ETag/If-None-Match, download names.
/// </summary>
public sealed class DownloadHandler(StorageCaller caller, StorageDatabase db, IObjectStore store, SignedUrlTokens tokens)
{
    public async Task AuthenticatedAsync(HttpContext ctx, string bucket, string name)
    {
        var who = caller.Require(ctx);
        var (row, file) = await OpenAsync(ctx, who, bucket, name, publicOnly: false);
        await SendAsync(ctx, row, file, null);
    }

    public async Task PublicAsync(HttpContext ctx, string bucket, string name)
    {
        var (row, file) = await OpenAsync(ctx, StoragePrincipal.Service, bucket, name, publicOnly: true);
        await SendAsync(ctx, row, file, null);
    }

    public async Task SignedAsync(HttpContext ctx, string bucket, string name)
    {
        var token = tokens.Verify(ctx.Request.Query["token"].ToString(), bucket, name, SignedUrlTokens.Download);
        var (row, file) = await OpenAsync(ctx, StoragePrincipal.Service, bucket, name, publicOnly: false);
        await SendAsync(ctx, row, file, DateTimeOffset.FromUnixTimeSeconds(token.Exp).ToString("R", CultureInfo.InvariantCulture));
    }

    public async Task InfoAsync(HttpContext ctx, string bucket, string name, bool isPublic)
    {
        var who = isPublic ? StoragePrincipal.Service : caller.Require(ctx);
        StorageNames.Bucket(bucket);
        StorageNames.Key(name);
        var row = await db.RunAsync(ctx, who, false, async (c, ct) =>
        {
            if (isPublic && await BucketRepository.FindAsync(c, bucket, ct) is not { Public: true }) throw StorageErrors.NoSuchBucket();
            return await ObjectRepository.FindAsync(c, bucket, name, ct);
        }) ?? throw StorageErrors.NoSuchKey();
        var meta = Metadata.From(row);
        await StorageJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", row.Id.ToString());
            w.WriteString("name", row.Name);
            if (row.Version is null) w.WriteNull("version"); else w.WriteString("version", row.Version);
            w.WriteString("bucket_id", row.BucketId);
            if (meta.Size is { } s) w.WriteNumber("size", s); else w.WriteNull("size");
            w.WriteString("content_type", meta.ContentType);
            w.WriteString("cache_control", meta.CacheControl);
            w.WriteString("etag", meta.ETag);
            w.WritePropertyName("metadata");
            if (row.UserMetadataJson is null) w.WriteNullValue(); else w.WriteRawValue(row.UserMetadataJson, skipInputValidation: true);
            w.WriteString("last_modified", row.UpdatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteString("created_at", row.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    private async Task<(ObjectRow Row, Stream File)> OpenAsync(HttpContext ctx, StoragePrincipal who, string bucket, string name, bool publicOnly)
    {
        StorageNames.Bucket(bucket);
        StorageNames.Key(name);
        return await db.RunAsync(ctx, who, false, async (c, ct) =>
        {
            if (publicOnly && await BucketRepository.FindAsync(c, bucket, ct) is not { Public: true }) throw StorageErrors.NoSuchBucket();
            var row = await ObjectRepository.FindAsync(c, bucket, name, ct) ?? throw StorageErrors.NoSuchKey();
            var file = row.Version is null ? null : store.OpenRead(row.Version);
            return (row, file ?? throw StorageErrors.NoSuchKey());
        });
    }

    private static async Task SendAsync(HttpContext ctx, ObjectRow row, Stream file, string? expires)
    {
        await using var _ = file;
        var meta = Metadata.From(row);
        var size = file.Length;
        var response = ctx.Response;
        var headers = response.Headers;
        headers.AcceptRanges = "bytes";
        headers.ContentType = meta.ContentType ?? "application/octet-stream";
        if (meta.ETag is { } etag) headers.ETag = etag;
        headers["X-Robots-Tag"] = "none";
        headers.LastModified = row.UpdatedAt.ToString("R", CultureInfo.InvariantCulture);
        if (expires is not null) headers.Expires = expires;
        else if (meta.CacheControl is { Length: > 0 } cc) headers.CacheControl = cc;
        if (ctx.Request.Query.TryGetValue("download", out var download))
        {
            var fileName = download.ToString();
            headers.ContentDisposition = fileName.Length == 0 ? "attachment;"
                : $"attachment; filename={Uri.EscapeDataString(fileName)}; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
        }
        if (meta.ETag is { } current && ctx.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch &&
            ifNoneMatch.Split(',').Any(t => t.Trim() == current || t.Trim() == "*" || t.Trim() == "W/" + current))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        long start = 0, length = size;
        if (ctx.Request.Headers.Range.ToString() is { Length: > 0 } range)
        {
            if (!TryRange(range, size, out start, out length))
            {
                headers.ContentRange = $"bytes */{size}";
                throw new StorageException(416, "InvalidRange", "invalid_range", "invalid range provided", 416);
            }
            response.StatusCode = StatusCodes.Status206PartialContent;
            headers.ContentRange = $"bytes {start}-{start + length - 1}/{size}";
        }
        else response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = length;
        if (HttpMethods.IsHead(ctx.Request.Method) || length == 0) return;
        file.Seek(start, SeekOrigin.Begin);
        await StreamCopy(file, response.Body, length, ctx.RequestAborted);
    }

    private static async Task StreamCopy(Stream from, Stream to, long count, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            while (count > 0)
            {
                var n = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
                if (n == 0) break;
                await to.WriteAsync(buffer.AsMemory(0, n), ct);
                Hosting.HearthMetrics.StorageDownloadedBytes.Add(n);
                count -= n;
            }
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>One byte range (bytes=a-b, a-, -n); several ranges or an unsatisfiable one is refused.</summary>
    private static bool TryRange(string header, long size, out long start, out long length)
    {
        start = 0; length = size;
        if (!RangeHeaderValue.TryParse(header, out var parsed) || !"bytes".Equals(parsed.Unit.Value, StringComparison.OrdinalIgnoreCase) ||
            parsed.Ranges.Count != 1) return false;
        var r = parsed.Ranges.First();
        if (r.From is { } from)
        {
            if (from >= size) return false;
            var to = Math.Min(r.To ?? size - 1, size - 1);
            if (to < from) return false;
            start = from; length = to - from + 1;
            return true;
        }
        if (r.To is { } suffix && suffix > 0 && size > 0)
        {
            length = Math.Min(suffix, size);
            start = size - length;
            return true;
        }
        return false;
    }

    /// <summary>The parts of storage.objects.metadata a response uses.</summary>
    private sealed record Metadata(long? Size, string? ContentType, string? CacheControl, string? ETag)
    {
        public static Metadata From(ObjectRow row)
        {
            using var doc = JsonDocument.Parse(row.MetadataJson);
            var m = doc.RootElement;
            if (m.ValueKind != JsonValueKind.Object) return new(null, null, null, null);
            string? S(string n) => m.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            // Rows written through SQL may hold anything here: only well-typed members are used.
            return new(m.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null,
                S("mimetype"), S("cacheControl"), S("eTag"));
        }
    }
}
