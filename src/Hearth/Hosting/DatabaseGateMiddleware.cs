using Hearth.Errors;
using Hearth.Response;
using Microsoft.AspNetCore.Http;

namespace Hearth.Hosting;

/// <summary>
/// While the database is known to be down, API requests get PostgREST's 503 PGRST000 with Retry-After
/// at once, instead of each one waiting for a connection attempt to fail (and logging it). /live and
/// /ready are left alone: they report the state themselves.
/// </summary>
public sealed class DatabaseGateMiddleware(RequestDelegate next, DatabaseAvailability availability)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        if (!availability.IsDown || ctx.Request.Path.Value is "/live" or "/ready") return next(ctx);
        availability.CountRejected();
        return ErrorWriter.WriteAsync(ctx, ApiErrors.DatabaseUnavailable(availability.LastError, availability.RetryAfterSeconds).Error);
    }
}
