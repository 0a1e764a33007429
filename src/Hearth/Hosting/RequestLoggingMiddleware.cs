using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>--log-requests: one line per request. Never logs headers or bodies (they carry tokens).</summary>
public sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(ctx);
        }
        finally
        {
            logger.LogInformation("{Method} {Path}{Query} {Status} {Elapsed:0.0}ms", ctx.Request.Method, ctx.Request.Path,
                ctx.Request.QueryString, ctx.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
