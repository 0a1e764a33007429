using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>/live answers while the process runs; /ready only while the database answers too.</summary>
public sealed class HealthEndpoints(NpgsqlDataSource db)
{
    public IResult Live() => Results.Ok();

    public async Task<IResult> ReadyAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var cmd = db.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return Results.Ok();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }
}
