using Hearth.Errors;
using System.Text.Json;
using Hearth.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>Writes an <see cref="ApiError"/> as PostgREST does: status, headers, JSON body.</summary>
public static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext ctx, ApiError error)
    {
        var response = ctx.Response;
        response.Clear();
        response.StatusCode = error.Status;
        response.ContentType = "application/json; charset=utf-8";
        if (error.Headers is { } headers)
            foreach (var (name, value) in headers) response.Headers[name] = value;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await JsonSerializer.SerializeAsync(response.Body, error, HearthJsonContext.Relaxed.ApiError, ctx.RequestAborted);
    }
}
