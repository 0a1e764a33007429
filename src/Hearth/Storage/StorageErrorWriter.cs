using Microsoft.AspNetCore.Http;

namespace Hearth.Storage;

/// <summary>Writes a <see cref="StorageException"/> in the storage server's shape.</summary>
public static class StorageErrorWriter
{
    public static Task WriteAsync(HttpContext ctx, StorageException e)
    {
        ctx.Response.Headers.Remove("Content-Disposition");
        ctx.Response.Headers.CacheControl = "no-store";
        return StorageJson.WriteAsync(ctx, e.HttpStatus, w =>
        {
            w.WriteStartObject();
            w.WriteString("statusCode", e.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("code", e.Code);
            w.WriteString("error", e.Error);
            w.WriteString("message", e.Message);
            w.WriteEndObject();
        });
    }
}
