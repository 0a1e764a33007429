using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// /storage/v1/*: the routes storage-js calls, dispatched on method and path (no endpoint routing, like the
/// rest of Hearth); every failure becomes a storage error — a client's mistake its 4xx, a policy's refusal
/// AccessDenied, anything else a logged 500 without details.
/// </summary>
public sealed class StorageRouter(BucketHandler buckets, UploadHandler uploads, DownloadHandler downloads, ObjectHandler objects, SignHandler signs,
    StorageAvailability availability, ILogger<StorageRouter> logger)
{
    public const string Prefix = "/storage/v1";

    /// <summary><see cref="Prefix"/> as a PathString, made once: converting the string costs a decode per request.</summary>
    public static readonly Microsoft.AspNetCore.Http.PathString PrefixPath = new(Prefix);

    public async Task HandleAsync(HttpContext ctx, PathString rest)
    {
        try
        {
            if (!await availability.IsAvailableAsync(ctx.RequestAborted))
                throw new StorageException(404, "NotFound", "not_found", "Storage is not available: the database has no storage schema (Hearth's Supabase baseline)", 404);
            await DispatchAsync(ctx, rest.Value ?? "");
        }
        catch (StorageException e)
        {
            await WriteAsync(ctx, e);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            await WriteAsync(ctx, e.StatusCode == 413 ? StorageErrors.EntityTooLarge() : StorageErrors.InvalidRequest("The request body could not be read"));
        }
        catch (PostgresException e)
        {
            await WriteAsync(ctx, FromPostgres(ctx, e));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The disk, the connection, or a bug: logged, never shown (no stack trace, no PostgreSQL text).
            logger.LogError("Storage error on {Method} {Path}: {Type} {Message}", ctx.Request.Method, ctx.Request.Path, e.GetType().Name, e.Message);
            await WriteAsync(ctx, StorageErrors.Internal());
        }
    }

    private Task DispatchAsync(HttpContext ctx, string path)
    {
        var method = ctx.Request.Method;
        var get = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        if (path is "/bucket" or "/bucket/")
            return method switch
            {
                "GET" => buckets.ListAsync(ctx),
                "POST" => buckets.CreateAsync(ctx),
                _ => throw StorageErrors.MethodNotAllowed(),
            };
        if (Tail(path, "/bucket/") is { } bucketPath)
        {
            if (bucketPath.EndsWith("/empty", StringComparison.Ordinal) && HttpMethods.IsPost(method))
                return buckets.EmptyAsync(ctx, bucketPath[..^"/empty".Length]);
            return method switch
            {
                "GET" => buckets.GetAsync(ctx, bucketPath),
                "PUT" => buckets.UpdateAsync(ctx, bucketPath),
                "DELETE" => buckets.DeleteAsync(ctx, bucketPath),
                _ => throw StorageErrors.MethodNotAllowed(),
            };
        }
        if (Tail(path, "/object/") is not { } o) throw StorageErrors.NotFound();

        if (o == "move" && HttpMethods.IsPost(method)) return objects.MoveAsync(ctx);
        if (o == "copy" && HttpMethods.IsPost(method)) return objects.CopyAsync(ctx);
        if (Tail(o, "list/") is { } listBucket && HttpMethods.IsPost(method)) return objects.ListAsync(ctx, listBucket);
        if (o.StartsWith("list-v2/", StringComparison.Ordinal)) throw StorageErrors.NotFound(); // not served yet; never an upload to a bucket named list-v2
        if (Tail(o, "public/") is { } pub && get) return Split(pub, (b, n) => downloads.PublicAsync(ctx, b, n));
        if (Tail(o, "authenticated/") is { } auth && get) return Split(auth, (b, n) => downloads.AuthenticatedAsync(ctx, b, n));
        if (Tail(o, "info/") is { } info && get)
        {
            if (Tail(info, "public/") is { } infoPublic) return Split(infoPublic, (b, n) => downloads.InfoAsync(ctx, b, n, isPublic: true));
            if (Tail(info, "authenticated/") is { } infoAuth) return Split(infoAuth, (b, n) => downloads.InfoAsync(ctx, b, n, isPublic: false));
            return Split(info, (b, n) => downloads.InfoAsync(ctx, b, n, isPublic: false));
        }
        if (Tail(o, "upload/sign/") is { } uploadSign)
        {
            if (HttpMethods.IsPost(method)) return Split(uploadSign, (b, n) => signs.SignUploadAsync(ctx, b, n));
            if (HttpMethods.IsPut(method)) return Split(uploadSign, (b, n) => uploads.UploadSignedAsync(ctx, b, n));
            throw StorageErrors.MethodNotAllowed();
        }
        if (Tail(o, "sign/") is { } sign)
        {
            if (get) return Split(sign, (b, n) => downloads.SignedAsync(ctx, b, n));
            if (!HttpMethods.IsPost(method)) throw StorageErrors.MethodNotAllowed();
            return sign.Contains('/') ? Split(sign, (b, n) => signs.SignAsync(ctx, b, n)) : signs.SignManyAsync(ctx, sign);
        }
        if (!o.Contains('/'))
            return HttpMethods.IsDelete(method) ? objects.RemoveManyAsync(ctx, o) : throw StorageErrors.NotFound();
        return method switch
        {
            "GET" or "HEAD" => Split(o, (b, n) => downloads.AuthenticatedAsync(ctx, b, n)),
            "POST" => Split(o, (b, n) => uploads.UploadAsync(ctx, b, n, update: false)),
            "PUT" => Split(o, (b, n) => uploads.UploadAsync(ctx, b, n, update: true)),
            "DELETE" => Split(o, (b, n) => objects.RemoveAsync(ctx, b, n)),
            _ => throw StorageErrors.MethodNotAllowed(),
        };
    }

    private static string? Tail(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length ? path[prefix.Length..] : null;

    /// <summary>"bucket/some/name" → bucket, name (leading slashes of the name dropped, as storage-js does).</summary>
    private static Task Split(string path, Func<string, string, Task> handle)
    {
        var slash = path.IndexOf('/');
        if (slash <= 0) throw StorageErrors.NotFound();
        return handle(path[..slash], path[(slash + 1)..].TrimStart('/'));
    }

    private StorageException FromPostgres(HttpContext ctx, PostgresException e)
    {
        switch (e.SqlState)
        {
            case "42501":
                return StorageErrors.AccessDenied(e.MessageText.Contains("row-level security", StringComparison.Ordinal)
                    ? "new row violates row-level security policy" : e.MessageText);
            case "23505": return StorageErrors.Duplicate();
            case "23503": return new StorageException(404, "InvalidRequest", "InvalidRequest", "The related resource does not exist");
            case "22P02" or "22021" or "22P05" or "22001": return StorageErrors.InvalidRequest("Invalid value format or type conversion failed");
            case "57014": return StorageErrors.DatabaseTimeout();
            case "42P17": return new StorageException(503, "DatabaseInvalidObjectDefinition", "DatabaseInvalidObjectDefinition", "The database schema is invalid or incompatible.", 503);
        }
        // A policy or trigger the project wrote may fail in any way: say which code, keep the text (it may quote values) in the log.
        logger.LogError("Storage database error on {Method} {Path}: {Code} {Message}", ctx.Request.Method, ctx.Request.Path, e.SqlState, e.MessageText);
        return new StorageException(500, "DatabaseError", "DatabaseError", $"database error, code: {e.SqlState}", 500);
    }

    private static Task WriteAsync(HttpContext ctx, StorageException e)
    {
        if (!ctx.Response.HasStarted) return StorageErrorWriter.WriteAsync(ctx, e);
        ctx.Abort();
        return Task.CompletedTask;
    }
}
