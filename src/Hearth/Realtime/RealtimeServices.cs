using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Realtime;

/// <summary>The realtime server's services; its hosted service checks the database once it is up and drops the slot at stop.</summary>
public static class RealtimeServices
{
    public static IServiceCollection AddHearthRealtime(this IServiceCollection services, RealtimeOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<RealtimeHub>();
        services.AddSingleton<RealtimeAuth>();
        services.AddSingleton<TableAccess>();
        services.AddSingleton<ChangeDispatcher>();
        services.AddSingleton<ChangeHistory>();
        services.AddSingleton<DirectConnection>();
        services.AddSingleton<SlotLease>();
        services.AddSingleton<StaleSlotSweeper>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<ChannelProtocol>();
        services.AddSingleton<RealtimeSocket>();
        services.AddSingleton<RealtimeEndpoint>();
        services.AddSingleton<ChangeStreamEndpoint>();
        services.AddHostedService<RealtimeLifetime>(); // after the database's lifetime: stops before it
        services.AddSingleton<RealtimeRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeRelay>()); // --database-url only: broadcast and presence across instances
        return services;
    }
}

internal sealed class RealtimeLifetime(ChangeFeed feed, ILogger<RealtimeLifetime> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try { await feed.CheckDatabaseAsync(ct); }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogWarning("Realtime: could not check the database ({Message}); postgres_changes will try when someone subscribes", e.Message);
        }
    }

    public async Task StopAsync(CancellationToken ct) => await feed.DisposeAsync();
}
