using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>/live answers while the process runs; /ready only while the database answers too.</summary>
public sealed class HealthEndpoints(NpgsqlDataSource db)
{
    public Task LiveAsync(HttpContext ctx)
    {
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    public async Task ReadyAsync(HttpContext ctx)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var cmd = db.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            ctx.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }
}
