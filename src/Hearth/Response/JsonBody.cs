using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Response;

/// <summary>Streams the JSON text PostgreSQL built (first column of the first row) to the client.</summary>
public static class JsonBody
{
    public static async Task StreamAsync(HttpContext ctx, NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("The statement returned no row.");
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await using var text = await reader.GetFieldValueAsync<Stream>(0, ct);
        await text.CopyToAsync(ctx.Response.Body, ct);
    }
}
