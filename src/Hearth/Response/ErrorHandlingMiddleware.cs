using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Response;

/// <summary>
/// The one place failures become responses: our own <see cref="ApiException"/>, PostgreSQL errors, an
/// unreachable database, and — last resort — an unexpected bug, which is logged and answered without a stack trace.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
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
        }
        catch (PostgresException e)
        {
            error = PostgresErrors.ToApiError(e, RequestContext.IsAuthenticated(ctx));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            error = ApiErrors.BodyTooLarge(ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize).Error;
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own checks (malformed framing, …): the client's fault, in our error shape.
            error = new ApiError("HRTH400", null, null, e.Message) { Status = e.StatusCode };
        }
        catch (NpgsqlException e) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("Database unavailable: {Message}", e.Message);
            error = ApiErrors.DatabaseUnavailable(e.Message).Error;
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error for {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            error = new ApiError("HRTH500", null, null, "Internal server error") { Status = 500 };
        }
        if (ctx.Response.HasStarted)
        {
            ctx.Abort(); // part of a body is out; a truncated response must not look complete
            return;
        }
        await ErrorWriter.WriteAsync(ctx, error);
    }
}
