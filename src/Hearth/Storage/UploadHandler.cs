using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// Uploads: POST /object/{bucket}/{name} (x-upsert), PUT (update), PUT /object/upload/sign/… (signed upload).
/// Order, for crash safety: the bytes are streamed to a temporary file, fsynced and renamed into place; only
/// then is the row written, as the request's role (RLS decides), and committed. A refused or failed write
/// deletes the file; a crash leaves an unreferenced file that startup removes — never a row without its file.
/// </summary>
public sealed class UploadHandler(StorageCaller caller, StorageDatabase db, IObjectStore store, StorageFiles files, StorageOptions options, SignedUrlTokens tokens)
{
    /// <summary>Uploads above this size (or of unknown size) are checked against the policies before their bytes are read.</summary>
    private const long PrecheckAbove = 1024 * 1024;

    public async Task UploadAsync(HttpContext ctx, string bucket, string name, bool update)
    {
        var who = caller.Require(ctx);
        var upsert = update || ctx.Request.Headers["x-upsert"].ToString() == "true";
        var id = await StoreAsync(ctx, who, who, bucket, name, upsert);
        await StorageJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", id.ToString());
            w.WriteString("Key", bucket + "/" + name);
            w.WriteEndObject();
        });
    }

    public async Task UploadSignedAsync(HttpContext ctx, string bucket, string name)
    {
        var token = tokens.Verify(ctx.Request.Query["token"].ToString(), bucket, name, SignedUrlTokens.Upload);
        // The URL's signer was checked against the policies when it was made; the upload itself runs as the storage server.
        var owner = StoragePrincipal.Service with { Subject = token.Owner };
        var id = await StoreAsync(ctx, StoragePrincipal.Service, owner, bucket, name, token.Upsert);
        await StorageJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", id.ToString());
            w.WriteString("Key", bucket + "/" + name);
            w.WriteEndObject();
        });
    }

    /// <summary>The policy check alone (insert or upsert, rolled back): signed upload URLs are only handed to callers who could upload.</summary>
    public Task CheckCanWriteAsync(HttpContext ctx, StoragePrincipal who, string bucket, string name, bool upsert) =>
        db.RunAsync(ctx, who, true, (c, ct) => ObjectRepository.WriteAsync(c, Row(Guid.NewGuid(), bucket, name, who, "{}", null, Guid.NewGuid().ToString("D")), upsert, ct), commit: false);

    private async Task<Guid> StoreAsync(HttpContext ctx, StoragePrincipal runAs, StoragePrincipal owner, string bucket, string name, bool upsert)
    {
        StorageNames.Bucket(bucket);
        StorageNames.Key(name);
        // --max-body-bytes is for the REST API; storage has its own limits, enforced while streaming.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
        var limits = await db.RunAsync(ctx, StoragePrincipal.Service, false, (c, ct) => BucketRepository.FindAsync(c, bucket, ct))
                     ?? throw StorageErrors.NoSuchBucket();
        var placeholder = name.EndsWith(".emptyFolderPlaceholder", StringComparison.Ordinal);
        var limit = placeholder ? 0 : Math.Min(options.FileSizeLimit, limits.FileSizeLimit ?? long.MaxValue);
        var body = await UploadBody.ReadAsync(ctx);
        if (!placeholder) UploadBody.CheckMimeType(body.ContentType, limits.AllowedMimeTypes);
        if (body.DeclaredLength > limit) throw StorageErrors.EntityTooLarge();
        if (body.DeclaredLength is null or > PrecheckAbove) await CheckCanWriteAsync(ctx, runAs, bucket, name, upsert);

        var version = Guid.NewGuid().ToString("D");
        var stored = await store.WriteAsync(version, body.Content, limit, ctx.RequestAborted);
        var metadata = MetadataJson(stored, body);
        Guid id;
        try
        {
            id = await db.RunAsync(ctx, runAs, true, (c, ct) => ObjectRepository.WriteAsync(c, Row(Guid.NewGuid(), bucket, name, owner, metadata, body.UserMetadataJson, version), upsert, ct),
                finishEvenIfAborted: true);
        }
        catch (Exception e) when (e is PostgresException or StorageException)
        {
            // The database refused the row (and rolled back): the file has no row and never will.
            store.Delete(version);
            if (e is PostgresException { SqlState: "23505" }) throw StorageErrors.Duplicate();
            throw;
        }
        Hosting.HearthMetrics.StorageUploadedBytes.Add(stored.Size);
        if (upsert) await files.CollectAsync(CancellationToken.None);
        return id;
    }

    private static NewObject Row(Guid id, string bucket, string name, StoragePrincipal owner, string metadata, string? userMetadata, string version) =>
        new(id, bucket, name, owner, metadata, userMetadata, version);

    /// <summary>storage.objects.metadata as Supabase's storage server fills it.</summary>
    private static string MetadataJson(StoredFile stored, UploadBody body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("eTag", stored.ETag);
            w.WriteNumber("size", stored.Size);
            w.WriteString("mimetype", body.ContentType);
            w.WriteString("cacheControl", body.CacheControl);
            w.WriteString("lastModified", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteNumber("contentLength", stored.Size);
            w.WriteNumber("httpStatusCode", 200);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
