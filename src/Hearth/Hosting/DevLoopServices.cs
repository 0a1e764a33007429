using Hearth.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Hosting;

/// <summary>`serve`'s live-reload services: the coalescing reloader, the --db-channel listener, --watch.</summary>
public static class DevLoopServices
{
    public static IServiceCollection AddHearthLiveReload(this IServiceCollection services, HearthOptions options)
    {
        services.AddSingleton<SchemaReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<SchemaReloader>());
        services.AddHostedService<SchemaChangeListener>(); // when --db-channel-enabled=false: removes the DDL trigger, listens to nothing
        if (options.Watch && options.MigrationsDir is null)
            throw new HearthUsageException("--watch needs a migrations folder, and the Supabase project has no migrations/ folder yet.");
        if (options.Watch) services.AddHostedService<MigrationWatcher>();
        return services;
    }
}
