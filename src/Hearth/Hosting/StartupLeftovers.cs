using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// What startup leaves behind once Hearth listens: a few MB of garbage on the heap (configuration, the
/// schema load, the host's setup), which an idle server may not collect for a long time, and the
/// administrative connection that ran the migrations and the schema load, whose backend now caches much
/// of the catalog (several MB in PostgreSQL). Shortly after startup both are released: one compacting
/// collection, and the administrative pool's idle connections are closed (the next administrative task —
/// a schema reload, /ready — opens a fresh one). It waits a moment so it never delays the first requests.
/// bench/startup.py measures idle memory (PSS).
/// </summary>
public static class StartupLeftovers
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static void ReleaseSoon(NpgsqlDataSource admin, CancellationToken stopping) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(Delay, stopping);
            admin.Clear();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        catch (OperationCanceledException)
        {
        }
    }, CancellationToken.None);
}
