using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// --log-requests: one line per request with its id, method, path, status and duration (named values, so
/// --log-format json carries them as fields). Never headers or bodies (they carry tokens); query values of
/// parameters that carry credentials (apikey, token, …) are masked.
/// </summary>
public sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "apikey", "token", "access_token", "refresh_token", "code", "password", "jwt", "secret",
    };

    public async Task InvokeAsync(HttpContext ctx)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(ctx);
        }
        finally
        {
            logger.LogInformation("{Method} {Path}{Query} {Status} {DurationMs:0.0}ms {RequestId}", ctx.Request.Method, ctx.Request.Path,
                MaskedQuery(ctx.Request.Query, ctx.Request.QueryString), ctx.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, ctx.TraceIdentifier);
        }
    }

    internal static string MaskedQuery(IQueryCollection query, QueryString raw)
    {
        if (!raw.HasValue || !query.Keys.Any(SecretParameters.Contains)) return raw.Value ?? "";
        return QueryString.Create(query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, SecretParameters.Contains(p.Key) ? "***" : v)))).Value ?? "";
    }
}
