using Microsoft.AspNetCore.Http;

namespace Hearth.Storage;

/// <summary>
/// createSignedUrl(s) and createSignedUploadUrl: a URL is only signed for a caller whose role can see the
/// object (download) or could write it (upload) — the policies decide when signing, the token alone when used.
/// </summary>
public sealed class SignHandler(StorageCaller caller, StorageDatabase db, SignedUrlTokens tokens, UploadHandler uploads, StorageOptions options)
{
    /// <summary>POST /object/sign/{bucket}/{name} {expiresIn} → {signedURL}.</summary>
    public async Task SignAsync(HttpContext ctx, string bucket, string name)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(bucket);
        StorageNames.Key(name);
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var expiresIn = ExpiresIn(doc.RootElement);
        _ = await db.RunAsync(ctx, who, false, (c, ct) => ObjectRepository.FindAsync(c, bucket, name, ct)) ?? throw StorageErrors.NoSuchKey();
        var url = $"/object/sign/{bucket}/{name}?token={tokens.Sign(bucket + "/" + name, SignedUrlTokens.Download, expiresIn)}";
        await StorageJson.WriteAsync(ctx, 200, w => { w.WriteStartObject(); w.WriteString("signedURL", url); w.WriteEndObject(); });
    }

    /// <summary>POST /object/sign/{bucket} {expiresIn, paths} → [{error, path, signedURL}].</summary>
    public async Task SignManyAsync(HttpContext ctx, string bucket)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(bucket);
        using var doc = await StorageJson.ReadObjectAsync(ctx);
        var expiresIn = ExpiresIn(doc.RootElement);
        var paths = StorageJson.Strings(doc.RootElement, "paths") ?? throw StorageErrors.InvalidRequest("body must have required property 'paths'");
        if (paths.Count is < 1 or > 1000) throw StorageErrors.InvalidRequest("body/paths must have between 1 and 1000 items");
        var visible = await db.RunAsync(ctx, who, false, (c, ct) => ObjectRepository.VisibleAsync(c, bucket, paths.ToArray(), ct));
        await StorageJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartArray();
            foreach (var path in paths)
            {
                w.WriteStartObject();
                var ok = visible.Contains(path);
                if (ok) w.WriteNull("error"); else w.WriteString("error", "Either the object does not exist or you do not have access to it");
                w.WriteString("path", path);
                if (ok) w.WriteString("signedURL", $"/object/sign/{bucket}/{path}?token={tokens.Sign(bucket + "/" + path, SignedUrlTokens.Download, expiresIn)}");
                else w.WriteNull("signedURL");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>POST /object/upload/sign/{bucket}/{name} (x-upsert) → {url, token}, valid for two hours.</summary>
    public async Task SignUploadAsync(HttpContext ctx, string bucket, string name)
    {
        var who = caller.Require(ctx);
        StorageNames.Bucket(bucket);
        StorageNames.Key(name);
        var upsert = ctx.Request.Headers["x-upsert"].ToString() == "true";
        _ = await db.RunAsync(ctx, StoragePrincipal.Service, false, (c, ct) => BucketRepository.FindAsync(c, bucket, ct)) ?? throw StorageErrors.NoSuchBucket();
        await uploads.CheckCanWriteAsync(ctx, who, bucket, name, upsert);
        var token = tokens.Sign(bucket + "/" + name, SignedUrlTokens.Upload, options.SignedUploadExpirySeconds, who.Subject, upsert);
        await StorageJson.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("url", $"/object/upload/sign/{bucket}/{name}?token={token}");
            w.WriteString("token", token);
            w.WriteEndObject();
        });
    }

    private static long ExpiresIn(System.Text.Json.JsonElement body)
    {
        var seconds = StorageJson.Integer(body, "expiresIn") ?? throw StorageErrors.InvalidRequest("body must have required property 'expiresIn'");
        // Past this a JWT's exp would not fit the numbers clients parse it with.
        if (seconds < 1 || seconds > 10L * 365 * 24 * 3600 * 100) throw StorageErrors.InvalidRequest("body/expiresIn must be >= 1");
        return seconds;
    }
}
