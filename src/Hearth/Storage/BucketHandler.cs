using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// /bucket: list, get, create, update, delete (refused while objects remain) and empty (service_role only).
/// Each runs as the request's role, so the policies on storage.buckets decide (service_role bypasses them).
/// </summary>
public sealed class BucketHandler(StorageCaller caller, StorageDatabase db, StorageFiles files, StorageOptions options)
{
    private static readonly string[] SortColumns = ["id", "name", "created_at", "updated_at"];

    public async Task ListAsync(HttpContext ctx)
    {
        var who = caller.Require(ctx);
        var q = ctx.Request.Query;
        var column = q["sortColumn"].ToString() is { Length: > 0 } c ? c : "name";
        if (!SortColumns.Contains(column)) throw StorageErrors.InvalidRequest("querystring/sortColumn must be equal to one of the allowed values");
        var order = q["sortOrder"].ToString() is { Length: > 0 } o ? o : "asc";
        if (order is not ("asc" or "desc")) throw StorageErrors.InvalidRequest("querystring/sortOrder must be equal to one of the allowed values");
        long? limit = Number(q["limit"].ToString(), "limit", 1);
        var offset = Number(q["offset"].ToString(), "offset", 0);
        var search = q["search"].ToString() is { Length: > 0 } s ? s : null;
        var json = await db.RunAsync(ctx, who, false, (conn, ct) => BucketRepository.ListJsonAsync(conn, column, order == "desc", limit, offset, search, ct));
        await StorageJson.WriteRawAsync(ctx, 200, Encoding.UTF8.GetBytes(json));
    }

    public async Task GetAsync(HttpContext ctx, string id)
    {
        var who = caller.Require(ctx);
        var json = await db.RunAsync(ctx, who, false, (conn, ct) => BucketRepository.GetJsonAsync(conn, id, ct)) ?? throw StorageErrors.NoSuchBucket();
        await StorageJson.WriteRawAsync(ctx, 200, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>POST /bucket {name, id?, public?, file_size_limit?, allowed_mime_types?} → {name}.</summary>
    public async Task CreateAsync(HttpContext ctx)
    {
        var who = caller.Require(ctx);
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var b = doc.RootElement;
        var name = StorageJson.RequiredString(b, "name");
        if (name.Trim().Length != name.Length) throw StorageErrors.InvalidBucketName();
        StorageNames.Bucket(name);
        var id = StorageJson.String(b, "id") is { Length: > 0 } given ? StorageNames.Bucket(given) : name;
        var isPublic = StorageJson.Bool(b, "public") ?? false;
        var (_, limit) = SizeLimit(b);
        var mimeTypes = MimeTypes(b).Types;
        try
        {
            await db.RunAsync(ctx, who, true, async (conn, ct) =>
            {
                await BucketRepository.CreateAsync(conn, id, name, who, isPublic, limit, mimeTypes, ct);
                return true;
            });
        }
        catch (PostgresException e) when (e.SqlState == "23505") { throw StorageErrors.BucketExists(); }
        await StorageJson.WriteAsync(ctx, 200, w => { w.WriteStartObject(); w.WriteString("name", name); w.WriteEndObject(); });
    }

    /// <summary>PUT /bucket/{id} {public?, file_size_limit?, allowed_mime_types?}.</summary>
    public async Task UpdateAsync(HttpContext ctx, string id)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(id);
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var b = doc.RootElement;
        var isPublic = StorageJson.Bool(b, "public");
        var (setLimit, limit) = SizeLimit(b);
        var (setMime, mimeTypes) = MimeTypes(b);
        if (isPublic is null && !setLimit && !setMime) throw StorageErrors.NoContent();
        var found = await db.RunAsync(ctx, who, true, (conn, ct) => BucketRepository.UpdateAsync(conn, id, isPublic, setLimit, limit, setMime, mimeTypes, ct));
        if (!found) throw StorageErrors.NoSuchBucket();
        await StorageJson.MessageAsync(ctx, "Successfully updated");
    }

    public async Task DeleteAsync(HttpContext ctx, string id)
    {
        var who = caller.Require(ctx);
        bool found;
        // Objects still pointing at the bucket fail its foreign key, whoever can see them.
        try { found = await db.RunAsync(ctx, who, true, (conn, ct) => BucketRepository.DeleteAsync(conn, id, ct)); }
        catch (PostgresException e) when (e.SqlState == "23503") { throw StorageErrors.BucketNotEmpty(); }
        if (!found) throw StorageErrors.NoSuchBucket();
        await StorageJson.MessageAsync(ctx, "Successfully deleted");
    }

    /// <summary>POST /bucket/{id}/empty: service_role only, as on Supabase; done at once here rather than queued.</summary>
    public async Task EmptyAsync(HttpContext ctx, string id)
    {
        var who = caller.Require(ctx);
        if (who.Role != "service_role") throw StorageErrors.AccessDenied("Access denied: Invalid role", 403);
        await db.RunAsync(ctx, who, true, async (conn, ct) =>
        {
            if (await BucketRepository.FindAsync(conn, id, ct) is null) throw StorageErrors.NoSuchBucket();
            await using var cmd = BucketRepository.Command(conn, "delete from storage.objects where bucket_id = $1", id);
            return await cmd.ExecuteNonQueryAsync(ct);
        });
        await files.CollectAsync(CancellationToken.None);
        await StorageJson.MessageAsync(ctx, "Successfully emptied");
    }

    /// <summary>file_size_limit: bytes, or a string such as "20MB"; above the global limit is a 413, as on Supabase.</summary>
    private (bool Given, long? Bytes) SizeLimit(JsonElement body)
    {
        if (!body.TryGetProperty("file_size_limit", out var v)) return (false, null);
        long? bytes = v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when v.TryGetInt64(out var n) && n >= 0 => n,
            JsonValueKind.String when FileSize.TryParse(v.GetString()!, decimalUnits: true, out var n) => n,
            _ => throw StorageErrors.InvalidFileSizeLimit(),
        };
        if (bytes > options.FileSizeLimit) throw StorageErrors.EntityTooLarge();
        return (true, bytes == 0 ? null : bytes);
    }

    private static (bool Given, string[]? Types) MimeTypes(JsonElement body)
    {
        if (!body.TryGetProperty("allowed_mime_types", out _)) return (false, null);
        var list = StorageJson.Strings(body, "allowed_mime_types")?.Where(t => t.Length > 0).ToArray();
        foreach (var t in list ?? [])
            if (t.Length > 1000 || !ValidMime(t)) throw StorageErrors.InvalidMimeType(t);
        return (true, list);
    }

    /// <summary>type/subtype (letters, digits, - + .), an optional charset, or a trailing *.</summary>
    private static bool ValidMime(string t)
    {
        if (t.EndsWith('*')) return true;
        var main = t.Split(';', 2);
        if (main.Length == 2 && !main[1].Trim().StartsWith("charset=", StringComparison.Ordinal)) return false;
        var parts = main[0].Split('/');
        static bool Token(string p) => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.');
        return parts.Length == 2 && Token(parts[0]) && Token(parts[1]);
    }

    private static long? Number(string text, string name, long min)
    {
        if (text.Length == 0) return null;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : throw StorageErrors.InvalidRequest($"querystring/{name} must be >= {min}");
    }
}
