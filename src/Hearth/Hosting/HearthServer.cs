using System.Net;
using Hearth.AuthServer;
using Hearth.Data;
using Hearth.Realtime;
using Hearth.Response;
using Hearth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>`hearth serve`: the web host around <see cref="ApiPipeline"/>.</summary>
public static class HearthServer
{
    public static async Task<int> RunAsync(HearthOptions options)
    {
        options = Supabase.JwtDefaults.Resolve(options);
        using var startupLoggers = LoggerFactory.Create(l => l.AddHearthConsole(options.LogFormat));
        // PostgreSQL's own start overlaps with building the web host; DatabaseLifetime waits for it.
        var embedded = EmbeddedPostgres.BeginStart(options, startupLoggers);
        try
        {
            return await RunAsync(options, startupLoggers, embedded);
        }
        finally
        {
            if (embedded is not null) await embedded.StopAsync(); // when startup failed before DatabaseLifetime took over
        }
    }

    /// <summary>
    /// The host puts ASP.NET Core's host filtering in front of every request; with no AllowedHosts set (Hearth
    /// sets none) it lets every request through, at ~360 instructions each (bench/instructions.sh). It stays
    /// when an AllowedHosts environment variable asks for it.
    /// </summary>
    private static void SkipHostFilteringUnlessConfigured(WebApplicationBuilder builder)
    {
        if (builder.Configuration["AllowedHosts"] is { Length: > 0 } hosts && hosts != "*") return;
        for (var i = builder.Services.Count - 1; i >= 0; i--)
            if (builder.Services[i].ServiceType == typeof(IStartupFilter) && builder.Services[i].ImplementationType?.Name == "HostFilteringStartupFilter")
                builder.Services.RemoveAt(i);
    }

    private static async Task<int> RunAsync(HearthOptions options, ILoggerFactory startupLoggers, EmbeddedPostgres? embedded)
    {
        // No file watching: Hearth reads no appsettings.json, and the host's default reload-on-change watches the
        // whole working directory tree — with the default ./hearth-data inside it, every PostgreSQL file write
        // woke Hearth up (and each of its folders took an inotify watch).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.AddHearthConsole(options.LogFormat);
        SkipHostFilteringUnlessConfigured(builder);
        var tls = HearthOperations.LoadTls(options, startupLoggers);
        builder.WebHost.UseKestrel(k =>
        {
            HearthOperations.Listen(k, options, tls);
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.Services.AddHearthDatabase(options, embedded);
        builder.Services.AddSingleton<DatabaseAvailability>();
        builder.Services.AddHostedService<DatabaseSupervisor>(); // after the database's own lifetime: starts once it is up
        builder.Services.AddSingleton<ApiExecutor>();
        builder.Services.AddSingleton<ApiPipeline>();
        builder.Services.AddSingleton<QueryCache>();
        builder.Services.AddSingleton<HealthEndpoints>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => new Auth.TokenCache(options.JwtCacheMaxEntries));
        builder.Services.AddSingleton<Auth.Authenticator>();
        if (options.Sidecar) builder.Services.AddSingleton<Sidecar>();
        builder.Services.AddHearthAuthServer(options.AuthServer);
        builder.Services.AddHearthStorage(options, options.Storage);
        builder.Services.AddHearthOperations(options);
        if (options.Realtime.Enabled) builder.Services.AddHearthRealtime(options.Realtime);
        builder.Services.AddHearthLiveReload(options);
        builder.Services.AddSingleton<OpenApi.OpenApiEndpoint>();

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hearth");
        var sidecar = options.Sidecar ? app.Services.GetRequiredService<Sidecar>() : null;
        // Before anything starts PostgreSQL: from here on SIGHUP/SIGUSR1/SIGUSR2 no longer kill Hearth.
        var reloader = app.Services.GetRequiredService<Schema.SchemaReloader>();
        var running = false;
        using var signals = SignalHandlers.Register(logger, () => Volatile.Read(ref running) ? reloader : null);
        app.UseHearthOperations(options); // the admin port, then request metrics
        // CORS first: a browser's preflight carries no credentials, not even the sidecar token.
        app.UseMiddleware<CorsMiddleware>();
        // Supabase's gateway in front of the API: /rest/v1 and the apikey header, before any credential check.
        app.Use(new Supabase.Gateway(options).Handle);
        if (sidecar is not null)
        {
            app.Use(sidecar.RequireToken);
            sidecar.WatchParent();
        }
        if (options.LogRequests) app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<DatabaseGateMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Only /realtime/v1 upgrades to a WebSocket; other requests skip the middleware's per-request handshake feature.
        if (options.Realtime.Enabled)
            app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments(Realtime.RealtimeEndpoint.PrefixPath, StringComparison.Ordinal),
                branch => branch.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) }));
        var realtime = options.Realtime.Enabled ? app.Services.GetRequiredService<Realtime.RealtimeEndpoint>() : null;
        var changeStreams = options.Realtime.Enabled ? app.Services.GetRequiredService<Realtime.ChangeStreamEndpoint>() : null;
        var health = app.Services.GetRequiredService<HealthEndpoints>();
        // No endpoint routing: two fixed paths, then everything is an API resource. Skipping the router
        // is measurably cheaper per request (bench/throughput.sh).
        var pipeline = app.Services.GetRequiredService<ApiPipeline>();
        // /auth/v1 is the GoTrue-compatible auth server: it never reaches the REST pipeline (or the anon role).
        var auth = app.Services.GetRequiredService<AuthServer.AuthServerRouter>();
        var storage = app.Services.GetRequiredService<Storage.StorageRouter>();
        var openApi = app.Services.GetRequiredService<OpenApi.OpenApiEndpoint>();
        AuthServerServices.LogAuthServerLimits(app.Services, logger);
        app.Run(ctx =>
        {
            var path = ctx.Request.Path; // once: each read goes through the request's features
            return path.Value switch
            {
                "/live" => health.LiveAsync(ctx),
                "/ready" => health.ReadyAsync(ctx),
                _ when path.StartsWithSegments(AuthServer.AuthServerRouter.PrefixPath, StringComparison.Ordinal, out var rest) => auth.HandleAsync(ctx, rest),
                _ when path.StartsWithSegments(Storage.StorageRouter.PrefixPath, StringComparison.Ordinal, out var rest) => storage.HandleAsync(ctx, rest),
                _ when realtime is not null && path.StartsWithSegments(Realtime.RealtimeEndpoint.PrefixPath, StringComparison.Ordinal, out var rest) => realtime.HandleAsync(ctx, rest),
                _ when changeStreams is not null && Realtime.ChangeStreamEndpoint.Wants(ctx) => changeStreams.HandleAsync(ctx),
                _ when OpenApi.OpenApiEndpoint.Handles(ctx.Request) => openApi.HandleAsync(ctx),
                _ => pipeline.HandleAsync(ctx),
            };
        });

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            Volatile.Write(ref running, true);
            var url = ListeningUrl(app);
            logger.LogInformation("Hearth {Version} listening on {Url}", HearthVersion.Current, url);
            // The one stdout line scripts wait for: the JSON handshake for a sidecar host, else the URL.
            Console.Out.WriteLine(sidecar is not null ? sidecar.Handshake(url) : $"Hearth listening on {url}");
            Console.Out.Flush();
            StartupLeftovers.ReleaseSoon(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), app.Lifetime.ApplicationStopping);
        });
        logger.LogInformation("Hearth {Version} starting", HearthVersion.Current);
        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new HearthStartupException($"Cannot listen on {options.Host}:{options.Port}: the address is already in use. Pick another --port (0 picks a free one).", e);
        }
        return 0;
    }

    private static string ListeningUrl(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
        return address.Replace("://[::]", "://localhost").TrimEnd('/');
    }
}
