using System.Globalization;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>/live answers while the process runs; /ready only while the database answers too.</summary>
public sealed class HealthEndpoints(NpgsqlDataSource db, DatabaseAvailability availability)
{
    public Task LiveAsync(HttpContext ctx)
    {
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    public async Task ReadyAsync(HttpContext ctx)
    {
        if (!availability.IsDown)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await using var cmd = db.CreateCommand("select 1");
                await cmd.ExecuteScalarAsync(timeout.Token);
                ctx.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                // Health checkers poll this; let supervision (not each poll) deal with and log the outage.
                if (e is NpgsqlException) availability.ReportFailure(e.Message);
            }
        }
        // Down (known or just found): no probe per poll, supervision is on it.
        ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        ctx.Response.Headers.RetryAfter = availability.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
