using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Hearth.Hosting;

/// <summary>Counts every request and its duration by method, route kind and status (<see cref="HearthMetrics"/>).</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var started = Stopwatch.GetTimestamp();
        var route = RouteKind(ctx.Request.Path);
        try
        {
            await next(ctx);
        }
        finally
        {
            var tags = new TagList
            {
                { "http.request.method", Method(ctx.Request.Method) },
                { "hearth.route", route },
                { "http.response.status_code", ctx.Response.StatusCode },
            };
            HearthMetrics.Requests.Add(1, tags);
            HearthMetrics.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>A closed list, never the path itself: paths are unbounded (and user-chosen), metric labels must not be.</summary>
    public static string RouteKind(PathString path)
    {
        var p = path.Value ?? "";
        if (p.StartsWith("/rest/v1", StringComparison.Ordinal)) p = p["/rest/v1".Length..];
        return p switch
        {
            "/live" or "/ready" => "health",
            _ when p.StartsWith("/rpc/", StringComparison.Ordinal) => "rpc",
            _ when p.StartsWith("/auth/v1", StringComparison.Ordinal) => "auth",
            _ when p.StartsWith("/storage/v1", StringComparison.Ordinal) => "storage",
            _ when p.StartsWith("/realtime/v1", StringComparison.Ordinal) => "realtime",
            _ when p.StartsWith("/graphql/v1", StringComparison.Ordinal) || p.StartsWith("/functions/v1", StringComparison.Ordinal) => "other",
            _ => "rest",
        };
    }

    private static string Method(string method) => method switch
    {
        "GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "OPTIONS" => method,
        _ => "OTHER",
    };
}
