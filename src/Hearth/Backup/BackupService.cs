using System.Globalization;
using Hearth.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Backup;

/// <summary>
/// Backups taken by a serving Hearth: on its schedule (--backup-schedule, an interval counted from the
/// last successful backup, so a restart does not reset it) and on demand (POST /backup on the admin port).
/// One at a time, into --backup-dir (default &lt;data-dir&gt;/backups) as hearth-backup-&lt;UTC time&gt;.tar.gz,
/// keeping the newest --backup-keep files of that pattern.
/// </summary>
public sealed class BackupService(HearthOptions options, DataDirLayout layout, ILogger<BackupService> logger, TimeProvider time) : BackgroundService
{
    private const string FilePrefix = "hearth-backup-";
    private readonly SemaphoreSlim _one = new(1, 1);

    public string Folder => options.BackupDir ?? Path.Combine(layout.Root, "backups");

    public async Task<(string File, BackupWriter.Result Result)> TakeAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Folder);
            var file = Path.Combine(Folder, $"{FilePrefix}{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}{BackupArchive.Extension}");
            if (File.Exists(file)) file = file.Replace(BackupArchive.Extension, $"-{Guid.NewGuid().ToString("N")[..6]}{BackupArchive.Extension}", StringComparison.Ordinal);
            try
            {
                var result = await BackupRun.ToFileAsync(layout, file, [Folder], logger, null, ct);
                HearthMetrics.Backups.Add(1, new KeyValuePair<string, object?>("result", "success"));
                logger.LogInformation("Backup written to {File} ({Bytes} bytes, {Seconds:0.0} s)", file, result.ArchiveBytes, result.Elapsed.TotalSeconds);
                Prune();
                return (file, result);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                HearthMetrics.Backups.Add(1, new KeyValuePair<string, object?>("result", "failure"));
                logger.LogError("Backup failed: {Error}", e.Message);
                throw;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.BackupInterval is not { } interval) return;
        logger.LogInformation("Scheduled backups every {Interval} into {Folder}, keeping {Keep}", interval, Folder, options.BackupKeep);
        while (!stoppingToken.IsCancellationRequested)
        {
            var last = BackupStatus.LastSuccess(layout);
            var due = last is { } l ? l + interval : time.GetUtcNow();
            var wait = due - time.GetUtcNow();
            // Never straight away at start: let the server come up (and a crash loop not turn into a backup loop).
            if (wait < TimeSpan.FromSeconds(10)) wait = TimeSpan.FromSeconds(10);
            try { await Task.Delay(wait, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await TakeAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            catch (Exception)
            {
                // Logged by TakeAsync; retry after a while rather than at once.
                try { await Task.Delay(TimeSpan.FromMinutes(Math.Min(10, interval.TotalMinutes)), time, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Deletes the oldest of our own files beyond --backup-keep (names sort by time).</summary>
    private void Prune()
    {
        var ours = Directory.EnumerateFiles(Folder, FilePrefix + "*" + BackupArchive.Extension)
            .Where(f => Path.GetFileName(f).Length >= FilePrefix.Length + 16 && DateTime.TryParseExact(Path.GetFileName(f).Substring(FilePrefix.Length, 16),
                "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .OrderDescending(StringComparer.Ordinal).ToList();
        foreach (var old in ours.Skip(options.BackupKeep))
        {
            try { File.Delete(old); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { logger.LogWarning("Could not delete the old backup {File}: {Error}", old, e.Message); }
        }
    }
}
