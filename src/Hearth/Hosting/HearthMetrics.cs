using System.Diagnostics.Metrics;

namespace Hearth.Hosting;

/// <summary>
/// Hearth's own instruments, on the System.Diagnostics.Metrics meter named <see cref="MeterName"/> ("Hearth").
/// Any component adds its instruments with <c>HearthMetrics.Meter.Create…</c> — no dependency on the
/// exporter; everything on this meter (and Npgsql's "Npgsql" meter: pool usage, waits, timeouts) is served
/// in Prometheus' text format on the admin port's /metrics. Names use dots and a unit
/// (hearth.http.request.duration, "s"); the exporter turns them into hearth_http_request_duration_seconds.
/// </summary>
public static class HearthMetrics
{
    public const string MeterName = "Hearth";

    public static Meter Meter { get; } = new(MeterName, HearthVersion.Current);

    /// <summary>Tags: http.request.method, hearth.route (rest, rpc, auth, storage, realtime, health, other), http.response.status_code.</summary>
    public static Counter<long> Requests { get; } = Meter.CreateCounter<long>("hearth.http.requests", "{request}", "HTTP requests served.");

    public static Histogram<double> RequestDuration { get; } = Meter.CreateHistogram("hearth.http.request.duration", "s", "Time to serve an HTTP request.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static Counter<long> SchemaCacheReloads { get; } = Meter.CreateCounter<long>("hearth.schema_cache.reloads", "{reload}", "Schema cache loads (start, NOTIFY/SIGUSR1 reloads).");

    /// <summary>Tag: result = hit | miss.</summary>
    public static Counter<long> JwtCacheLookups { get; } = Meter.CreateCounter<long>("hearth.jwt_cache.lookups", "{lookup}", "Verified-token cache lookups.");

    /// <summary>Tag: grant_type (password, refresh_token).</summary>
    public static Counter<long> AuthSignIns { get; } = Meter.CreateCounter<long>("hearth.auth.sign_ins", "{session}", "Sessions issued by /auth/v1/token.");

    /// <summary>Tags: grant_type, error_code.</summary>
    public static Counter<long> AuthSignInFailures { get; } = Meter.CreateCounter<long>("hearth.auth.sign_in_failures", "{attempt}", "Refused /auth/v1/token requests.");

    public static UpDownCounter<long> RealtimeConnections { get; } = Meter.CreateUpDownCounter<long>("hearth.realtime.connections", "{connection}", "Open realtime connections (WebSockets and change streams).");

    public static UpDownCounter<long> RealtimeQueuedMessages { get; } = Meter.CreateUpDownCounter<long>("hearth.realtime.queued_messages", "{message}", "Messages waiting in realtime clients' queues.");

    public static Counter<long> RealtimeMessages { get; } = Meter.CreateCounter<long>("hearth.realtime.messages", "{message}", "Messages queued for realtime clients.");

    public static Counter<long> RealtimeOverflowDisconnects { get; } = Meter.CreateCounter<long>("hearth.realtime.overflow_disconnects", "{connection}", "Realtime clients disconnected for falling too far behind.");

    public static Counter<long> StorageUploadedBytes { get; } = Meter.CreateCounter<long>("hearth.storage.uploaded", "By", "Bytes of files stored by /storage/v1 uploads.");

    public static Counter<long> StorageDownloadedBytes { get; } = Meter.CreateCounter<long>("hearth.storage.downloaded", "By", "Bytes of files sent by /storage/v1 downloads.");

    /// <summary>Tag: result = success | failure.</summary>
    public static Counter<long> Backups { get; } = Meter.CreateCounter<long>("hearth.backups", "{backup}", "Backups taken by this process (schedule, POST /backup).");

    /// <summary>Seconds since the last successful backup of the data dir (by any hearth process); absent before the first.</summary>
    public static void ObserveBackupAge(Func<DateTimeOffset?> lastSuccess, TimeProvider time) =>
        Meter.CreateObservableGauge("hearth.backup.age", () =>
            lastSuccess() is { } last ? [new Measurement<double>((time.GetUtcNow() - last).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Seconds since the last successful backup.");
}
