using Hearth.Errors;
using Hearth.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Response;

/// <summary>
/// The one place failures become responses: our own <see cref="ApiException"/>, PostgreSQL errors, an
/// unreachable database, and — last resort — an unexpected bug, which is logged and answered without a stack trace.
/// An unreachable database is reported to <see cref="DatabaseAvailability"/>, which logs it once (not
/// once per request) and lets supervision bring it back.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger, DatabaseAvailability availability)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        ApiError error;
        try
        {
            await next(ctx);
            return;
        }
        catch (ApiException e)
        {
            error = e.Error;
            if (e.InnerException is PostgresException pg && error.Status == 503 && PostgresErrors.IsTransient(pg.SqlState)) error = WithRetryAfter(error);
        }
        catch (PostgresException e) when (PostgresErrors.MeansDatabaseDown(e.SqlState))
        {
            // Starting up, in recovery, or another backend crashed: as PostgREST, a connection error.
            availability.ReportFailure(e.Message);
            error = ApiErrors.DatabaseUnavailable(e.Message, availability.RetryAfterSeconds).Error;
        }
        catch (PostgresException e)
        {
            // Outside the REST pipeline's statements (which name their errors themselves): no authenticated role.
            error = PostgresErrors.ToApiError(e, authenticated: false);
            if (error.Status == 503 && PostgresErrors.IsTransient(e.SqlState)) error = WithRetryAfter(error);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            error = ApiErrors.BodyTooLarge(ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize).Error;
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own checks (malformed framing, …): the client's fault, in our error shape.
            error = ApiErrors.BadHttpRequest(e.StatusCode, e.Message).Error;
        }
        catch (NpgsqlException e) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            // A command or pool timeout is load, not an outage; a connect timeout, or anything else, means no connection.
            if (e.InnerException is not TimeoutException || e.Message.StartsWith("Timeout during connection attempt", StringComparison.Ordinal))
                availability.ReportFailure(e.Message);
            error = ApiErrors.DatabaseUnavailable(e.Message, availability.RetryAfterSeconds).Error;
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error for {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            error = ApiErrors.Internal().Error;
        }
        if (ctx.Response.HasStarted)
        {
            ctx.Abort(); // part of a body is out; a truncated response must not look complete
            return;
        }
        await ErrorWriter.WriteAsync(ctx, error);
    }

    private ApiError WithRetryAfter(ApiError error)
    {
        var headers = new Dictionary<string, string>(error.Headers ?? new Dictionary<string, string>())
        {
            ["Retry-After"] = availability.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return error with { Headers = headers };
    }
}
