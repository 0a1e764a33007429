using Microsoft.AspNetCore.Http;

namespace Hearth.Hosting;

/// <summary>
/// CORS as PostgREST answers it. Only requests with an Origin are concerned. With no allowed origins
/// configured any origin is allowed (<c>*</c>, no credentials); with a list, a listed origin is echoed
/// and credentials are allowed, an unlisted one gets no CORS headers. A preflight (OPTIONS with Origin and
/// Access-Control-Request-Method) is answered here, before auth and the database.
/// </summary>
public sealed class CorsMiddleware(RequestDelegate next, HearthOptions options)
{
    private const string AllowedMethods = "GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD";
    private const string ExposedHeaders = "Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit";
    private static readonly string[] AlwaysAllowedHeaders = ["Accept", "Accept-Language", "Content-Language"];

    private readonly HashSet<string> _origins = new(options.CorsAllowedOrigins, StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext ctx)
    {
        var origin = ctx.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || (_origins.Count > 0 && !_origins.Contains(origin))) return next(ctx);
        var requestedMethod = ctx.Request.Headers.AccessControlRequestMethod.ToString();
        if (!HttpMethods.IsOptions(ctx.Request.Method) || requestedMethod.Length == 0)
        {
            // Added as the response starts, so error responses (which reset headers) carry them too.
            ctx.Response.OnStarting(() =>
            {
                AllowOrigin(ctx.Response.Headers, origin);
                ctx.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
                return Task.CompletedTask;
            });
            return next(ctx);
        }
        // Preflight: answered without auth or database.
        var headers = ctx.Response.Headers;
        AllowOrigin(headers, origin);
        headers.AccessControlAllowMethods = AllowedMethods;
        var requested = ctx.Request.Headers.AccessControlRequestHeaders.ToString();
        if (requested.Length > 0)
        {
            var names = requested.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            headers.AccessControlAllowHeaders = string.Join(", ", new[] { "Authorization" }.Concat(names)
                .Concat(AlwaysAllowedHeaders.Where(h => !names.Contains(h, StringComparer.OrdinalIgnoreCase))));
        }
        headers.AccessControlMaxAge = "86400";
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    private void AllowOrigin(IHeaderDictionary headers, string origin)
    {
        if (_origins.Count == 0) headers.AccessControlAllowOrigin = "*";
        else
        {
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
        }
    }
}
