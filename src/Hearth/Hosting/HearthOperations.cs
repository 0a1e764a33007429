using System.Net;
using Hearth.Backup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Hearth.Hosting;

/// <summary>
/// serve's operations features in one place, so the web host only calls three methods: listeners (HTTPS
/// with a reloading certificate, the admin port), services (metrics exporter, backups) and middleware.
/// </summary>
public static class HearthOperations
{
    /// <summary>The API endpoint (HTTPS with --tls-cert) and, with --admin-port, the loopback admin endpoint.</summary>
    public static void Listen(KestrelServerOptions kestrel, HearthOptions options, TlsCertificate? tls)
    {
        Action<ListenOptions> api = listen =>
        {
            if (tls is not null) listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => tls.Current);
        };
        Bind(kestrel, "--host", options.Host, options.Port, api);
        if (options.AdminPort is { } admin) Bind(kestrel, "--admin-host", options.AdminHost, admin, AdminListener.Mark);
    }

    /// <summary>--host and --admin-host: an IP address, or localhost (IPv4 and IPv6 loopback).</summary>
    private static void Bind(KestrelServerOptions kestrel, string flag, string host, int port, Action<ListenOptions> configure)
    {
        if (host is "localhost") kestrel.ListenLocalhost(port, configure);
        else if (IPAddress.TryParse(host, out var ip)) kestrel.Listen(ip, port, configure);
        else throw new HearthStartupException($"{flag}: '{host}' is not an IP address or 'localhost'.");
    }

    public static IServiceCollection AddHearthOperations(this IServiceCollection services, HearthOptions options)
    {
        // Only with an admin port: without a scraper, instruments have no listener and cost next to nothing.
        if (options.AdminPort is not null)
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("hearth", serviceVersion: HearthVersion.Current))
                .WithMetrics(metrics => metrics
                    // System.Runtime: .NET's own GC (collections, pause time, allocated bytes, heap), thread pool and
                    // lock-contention instruments, for the tail-latency questions a p99 raises.
                    .AddMeter(HearthMetrics.MeterName, "Npgsql", "System.Runtime")
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape is current
        services.AddSingleton<AdminListener>();
        if (options.DatabaseUrl is null)
        {
            services.AddSingleton<BackupService>();
            services.AddHostedService(sp => sp.GetRequiredService<BackupService>());
        }
        return services;
    }

    /// <summary>First in the pipeline: admin-port requests never reach CORS, the gateway or the API; API requests are measured.</summary>
    public static void UseHearthOperations(this WebApplication app, HearthOptions options)
    {
        if (options.AdminPort is not null)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(ctx => AdminListener.IsAdmin(ctx) && ctx.Request.Path == "/metrics");
            var admin = app.Services.GetRequiredService<AdminListener>();
            app.Use((ctx, next) => AdminListener.IsAdmin(ctx) ? admin.HandleAsync(ctx) : next(ctx));
            // The admin endpoint is bound last (Listen above): with --admin-port 0 this says which port it got.
            app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hearth").LogInformation("Admin listener (/live, /ready, /metrics, POST /backup) on {Url}",
                app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                    .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.LastOrDefault()));
            if (options.DatabaseUrl is null && app.Services.GetService<DataDirLayout>() is { } layout)
                HearthMetrics.ObserveBackupAge(() => BackupStatus.LastSuccess(layout), TimeProvider.System);
            // Only with a scraper to read them: otherwise the middleware would cost every request for nothing.
            app.UseMiddleware<RequestMetricsMiddleware>();
        }
    }

    public static TlsCertificate? LoadTls(HearthOptions options, ILoggerFactory loggers) =>
        options.TlsCertFile is { } cert ? new TlsCertificate(cert, options.TlsKeyFile!, loggers.CreateLogger("Hearth.Tls")) : null;
}
