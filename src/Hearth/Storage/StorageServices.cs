using Hearth.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Storage;

/// <summary>Registers /storage/v1 beside the REST pipeline, and its startup cleanup.</summary>
public static class StorageServices
{
    public static IServiceCollection AddHearthStorage(this IServiceCollection services, HearthOptions hearth, StorageOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IObjectStore>(_ => new LocalDiskObjectStore(options.ResolveDir(hearth)));
        services.AddSingleton<StorageFiles>();
        services.AddSingleton<StorageAvailability>();
        services.AddSingleton<StorageCaller>();
        services.AddSingleton<StorageDatabase>();
        services.AddSingleton<SignedUrlTokens>();
        services.AddSingleton<BucketHandler>();
        services.AddSingleton<UploadHandler>();
        services.AddSingleton<DownloadHandler>();
        services.AddSingleton<ObjectHandler>();
        services.AddSingleton<SignHandler>();
        services.AddSingleton<StorageRouter>();
        services.AddHostedService<StorageStartup>(); // after DatabaseLifetime: the baseline and migrations have run
        return services;
    }
}

/// <summary>
/// Before Hearth listens: deletes the files of versions no committed row references — a crash between a
/// file's rename and its row's commit, or between a commit and the file's deletion — and unfinished uploads.
/// In embedded mode the data dir is locked to this process, so everything found is a leftover; with
/// --database-url other instances may share the folder, so only files older than an hour are touched.
/// </summary>
public sealed class StorageStartup(HearthOptions hearth, StorageAvailability availability, StorageFiles files, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!await availability.IsAvailableAsync(ct))
        {
            logger.LogInformation("Storage: /storage/v1 is off (the database has no storage schema)");
            return;
        }
        var olderThan = hearth.DatabaseUrl is null ? DateTime.MaxValue : DateTime.UtcNow.AddHours(-1);
        await files.StartupAsync(olderThan, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
