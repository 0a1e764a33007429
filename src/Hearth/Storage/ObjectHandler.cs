using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// Everything on objects besides transferring bytes: list, remove (one or many), move, copy — each as the
/// request's role, so the policies on storage.objects decide. Removed or replaced files are deleted after
/// the commit (<see cref="StorageFiles"/>).
/// </summary>
public sealed class ObjectHandler(StorageCaller caller, StorageDatabase db, IObjectStore store, StorageFiles files)
{
    private static readonly string[] ListSortColumns = ["name", "created_at", "updated_at", "last_accessed_at"];

    /// <summary>POST /object/list/{bucket} {prefix, limit, offset, sortBy {column, order}, search}.</summary>
    public async Task ListAsync(HttpContext ctx, string bucket)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(bucket);
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var body = doc.RootElement;
        var prefix = StorageJson.String(body, "prefix") ?? throw StorageErrors.InvalidRequest("body must have required property 'prefix'");
        if (prefix.Length > 0 && !prefix.EndsWith('/')) prefix += "/"; // a prefix is always a folder, as on Supabase
        var limit = StorageJson.Integer(body, "limit") ?? 100;
        var offset = StorageJson.Integer(body, "offset") ?? 0;
        if (limit < 1 || offset < 0) throw StorageErrors.InvalidRequest("limit must be >= 1 and offset >= 0");
        var search = StorageJson.String(body, "search") ?? "";
        var column = "name";
        var descending = false;
        if (body.TryGetProperty("sortBy", out var sortBy) && sortBy.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            column = StorageJson.String(sortBy, "column")?.ToLowerInvariant() ?? "name";
            if (!ListSortColumns.Contains(column)) column = "name";
            descending = StorageJson.String(sortBy, "order")?.ToLowerInvariant() == "desc";
        }
        var json = await db.RunAsync(ctx, who, false, (c, ct) =>
            ObjectRepository.ListJsonAsync(c, bucket, prefix, search, Math.Min(limit, 1000), offset, column, descending, ct));
        await StorageJson.WriteRawAsync(ctx, 200, System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>DELETE /object/{bucket} {prefixes}: what the role could delete, as objects.</summary>
    public async Task RemoveManyAsync(HttpContext ctx, string bucket)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(bucket);
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var names = StorageJson.Strings(doc.RootElement, "prefixes") ?? throw StorageErrors.InvalidRequest("body must have required property 'prefixes'");
        if (names.Count is < 1 or > 1000) throw StorageErrors.InvalidRequest("body/prefixes must have between 1 and 1000 items");
        var json = await db.RunAsync(ctx, who, true, (c, ct) => ObjectRepository.DeleteManyAsync(c, bucket, names.ToArray(), ct));
        await files.CollectAsync(CancellationToken.None);
        await StorageJson.WriteRawAsync(ctx, 200, System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>DELETE /object/{bucket}/{name}: 404 when there is no such object, 403 when the policies refuse.</summary>
    public async Task RemoveAsync(HttpContext ctx, string bucket, string name)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(bucket);
        StorageNames.Key(name);
        var deleted = await db.RunAsync(ctx, who, true, (c, ct) => ObjectRepository.DeleteManyAsync(c, bucket, [name], ct));
        if (deleted == "[]")
        {
            var exists = await db.RunAsync(ctx, StoragePrincipal.Service, false, (c, ct) => ObjectRepository.FindAsync(c, bucket, name, ct));
            throw exists is null ? StorageErrors.NoSuchKey() : StorageErrors.AccessDenied("Access denied");
        }
        await files.CollectAsync(CancellationToken.None);
        await StorageJson.MessageAsync(ctx, "Successfully deleted");
    }

    /// <summary>POST /object/move {bucketId, sourceKey, destinationKey, destinationBucket?}: a rename of the row; the file stays.</summary>
    public async Task MoveAsync(HttpContext ctx)
    {
        var who = caller.Require(ctx);
        var (bucket, from, toBucket, to) = await ReadTransferAsync(ctx);
        await db.RunAsync(ctx, who, true, async (c, ct) =>
            await ObjectRepository.MoveAsync(c, bucket, from, toBucket, to, who, ct) ? true : throw StorageErrors.NoSuchKey());
        await StorageJson.MessageAsync(ctx, "Successfully moved");
    }

    /// <summary>POST /object/copy {bucketId, sourceKey, destinationKey, destinationBucket?} (x-upsert): a new version with its own file.</summary>
    public async Task CopyAsync(HttpContext ctx)
    {
        var who = caller.Require(ctx);
        var upsert = ctx.Request.Headers["x-upsert"].ToString() == "true";
        var (bucket, from, toBucket, to) = await ReadTransferAsync(ctx);
        var version = Guid.NewGuid().ToString("D");
        Guid id;
        try
        {
            id = await db.RunAsync(ctx, who, true, async (c, ct) =>
            {
                var source = await ObjectRepository.FindAsync(c, bucket, from, ct) ?? throw StorageErrors.NoSuchKey();
                if (source.Version is null) throw StorageErrors.NoSuchKey();
                await store.CopyAsync(source.Version, version, ct);
                return await ObjectRepository.WriteAsync(c, new NewObject(Guid.NewGuid(), toBucket, to, who, source.MetadataJson, source.UserMetadataJson, version), upsert, ct);
            }, finishEvenIfAborted: true);
        }
        catch (Exception e) when (e is PostgresException or StorageException)
        {
            store.Delete(version);
            if (e is PostgresException { SqlState: "23505" }) throw StorageErrors.Duplicate();
            throw;
        }
        if (upsert) await files.CollectAsync(CancellationToken.None);
        await StorageJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", id.ToString());
            w.WriteString("Key", toBucket + "/" + to);
            w.WriteEndObject();
        });
    }

    private static async Task<(string Bucket, string From, string ToBucket, string To)> ReadTransferAsync(HttpContext ctx)
    {
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var b = doc.RootElement;
        var bucket = StorageNames.Bucket(StorageJson.RequiredString(b, "bucketId"));
        var from = StorageNames.Key(StorageJson.RequiredString(b, "sourceKey"));
        var to = StorageNames.Key(StorageJson.RequiredString(b, "destinationKey"));
        var toBucket = StorageJson.String(b, "destinationBucket") is { Length: > 0 } other ? StorageNames.Bucket(other) : bucket;
        return (bucket, from, toBucket, to);
    }
}
