using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// Watches the database once `serve` is up. Embedded mode: when the postmaster dies (kill -9, a PANIC
/// whose crash recovery failed, e.g. on a full disk) it is started again — PostgreSQL runs crash
/// recovery — with backoff, for as long as it takes (a full disk may take a while to clear). Both
/// modes: while <see cref="DatabaseAvailability"/> says the database is down (a request could not
/// connect), a cheap probe decides when it is back. Registered after DatabaseLifetime, so it starts once
/// the database is up and stops before the database is stopped.
/// </summary>
public sealed class DatabaseSupervisor(
    DatabaseAvailability availability,
    Data.ApiDataSource api,
    Data.DatabasePools pools,
    TimeProvider time,
    ILogger<DatabaseSupervisor> logger,
    EmbeddedPostgres? embedded = null) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private const string DiskFull = "PostgreSQL stopped and the data dir's disk is full (No space left on device)";

    /// <summary>Restart backoff: quick at first (a killed postmaster's backends need a moment to exit), then every 5 s.</summary>
    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(attempt, 5)));

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(Tick, time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                availability.LogSummaryIfDue();
                if (embedded is { IsStopped: true }) return; // stopped on purpose (e.g. Hearth is crashing)
                if (embedded is not null && !await embedded.IsRunningAsync(ct)) await RecoverAsync(embedded, ct);
                else if (availability.IsDown && await ProbeAsync(ct)) BackUp();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Database supervision failed; stopping");
            throw;
        }
    }

    private async Task RecoverAsync(EmbeddedPostgres postgres, CancellationToken ct)
    {
        availability.MarkDown("PostgreSQL stopped unexpectedly (its postmaster is gone)");
        logger.LogWarning("PostgreSQL stopped unexpectedly; restarting it (crash recovery)");
        ClearPools(); // their connections are dead; no request should be handed one later
        string? lastError = null;
        for (var attempt = 1; !postgres.IsStopped; attempt++)
        {
            string error;
            if (!postgres.HasRoomToRestart)
            {
                if (lastError != DiskFull) logger.LogWarning("The data dir's disk is full: PostgreSQL restarts as soon as there is room");
                lastError = DiskFull;
                availability.MarkDown(DiskFull);
                availability.SetRetryAfter(TimeSpan.FromSeconds(5));
                await Task.Delay(Tick, time, ct);
                availability.LogSummaryIfDue();
                attempt--;
                continue;
            }
            try
            {
                await postgres.RestartAsync(ct);
                if (await ProbeAsync(ct))
                {
                    logger.LogInformation("PostgreSQL restarted (attempt {Attempt})", attempt);
                    BackUp();
                    return;
                }
                error = "it started but does not answer yet";
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                error = e.Message.Split('\n', 2)[0];
            }
            var delay = Backoff(attempt);
            availability.SetRetryAfter(delay);
            // One line per distinct reason (e.g. "No space left on device" for as long as the disk is full);
            // DatabaseAvailability's periodic summary says it is still going on.
            if (error != lastError)
                logger.LogWarning("PostgreSQL restart attempt {Attempt} failed: {Error}. Retrying every {Max:0} s at most", attempt, error, Backoff(99).TotalSeconds);
            lastError = error;
            await Task.Delay(delay, time, ct);
            availability.LogSummaryIfDue();
        }
    }

    private void BackUp()
    {
        ClearPools(); // connections opened before or during the outage may be broken
        availability.MarkUp();
    }

    /// <summary>
    /// `select 1` on a new API connection, within 2 s: the path requests take — behind a pooler the
    /// administrative URL may go straight to PostgreSQL while requests go through PgBouncer.
    /// </summary>
    private async Task<bool> ProbeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            api.Source.Clear();
            await using var cmd = api.Source.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            availability.MarkDown(e.Message); // not a request: only the last error changes
            return false;
        }
    }

    private void ClearPools() => pools.ClearAll();
}
