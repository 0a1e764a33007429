namespace Hearth.Hosting;

/// <summary>
/// Startup allocates a few MB that are garbage once Hearth listens (configuration, the schema load, the
/// host's setup), and an idle server may not collect for a long time — the GC keeps that memory committed
/// meanwhile. One compacting collection shortly after startup hands it back to the OS (bench/startup.py
/// measures idle PSS). It runs after a pause so it never delays the first requests.
/// </summary>
public static class StartupGarbage
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static void ReleaseSoon(CancellationToken stopping) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(Delay, stopping);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        catch (OperationCanceledException)
        {
        }
    }, CancellationToken.None);
}
