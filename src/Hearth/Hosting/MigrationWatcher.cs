using Hearth.Migrations;
using Hearth.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// `serve --watch` (development only): applies *.sql files that appear in the migrations folder while
/// Hearth runs, then reloads the schema cache. An applied file that was edited is reported once, never
/// re-run; a file that fails is rolled back and tried again when it changes. A change is picked up from
/// file-system events, with a one-second poll as the fallback (editors that replace files, network mounts),
/// and only once the folder has been still for a moment (an editor still writing the file).
/// </summary>
public sealed class MigrationWatcher(HearthOptions options, MigrationRunner migrations, SchemaReloader reloader, ILogger<MigrationWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly HashSet<string> _reported = [];

    private readonly SemaphoreSlim _changed = new(0);
    private FileSystemWatcher? _watcher;
    private string _last = "";

    /// <summary>Watching starts before Hearth reports it is listening: a file written right after that is seen.</summary>
    public override Task StartAsync(CancellationToken ct)
    {
        var folder = options.MigrationsDir!;
        _watcher = new FileSystemWatcher(folder, "*.sql") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Created += (_, _) => _changed.Release();
        _watcher.Changed += (_, _) => _changed.Release();
        _watcher.Renamed += (_, _) => _changed.Release();
        _watcher.EnableRaisingEvents = true;
        _last = Signature(folder);
        logger.LogInformation("Watching {Folder} for new migrations (--watch)", folder);
        return base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var folder = options.MigrationsDir!;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _changed.WaitAsync(Poll, ct);
                var now = Signature(folder);
                if (now == _last) continue;
                // Wait until the folder is still (an editor may still be writing the file), then apply.
                while (true)
                {
                    await Task.Delay(Settle, ct);
                    while (_changed.CurrentCount > 0) _changed.Wait(0); // events of this same change
                    var again = Signature(folder);
                    if (again == now) break;
                    now = again;
                }
                _last = now;
                await ApplyAsync(folder, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        base.Dispose();
    }

    private async Task ApplyAsync(string folder, CancellationToken ct)
    {
        try
        {
            var applied = await migrations.ApplyAsync(folder, ct, edited =>
            {
                if (_reported.Add(edited)) logger.LogWarning("{Message} (--watch does not re-run it)", edited);
            });
            if (applied > 0) reloader.Request($"--watch applied {applied} migration(s)");
        }
        catch (MigrationException e)
        {
            logger.LogWarning("{Message}", e.Message);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or IOException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("--watch could not apply migrations: {Message}", e.Message.Split('\n', 2)[0]);
        }
    }

    /// <summary>Names, sizes and write times of the folder's *.sql files: changes when any file is added, removed or written.</summary>
    private static string Signature(string folder)
    {
        try
        {
            return string.Join('\n', new DirectoryInfo(folder).EnumerateFiles("*.sql").OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => $"{f.Name}\t{f.Length}\t{f.LastWriteTimeUtc.Ticks}"));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
