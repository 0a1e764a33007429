using Hearth.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Backup;

/// <summary>
/// Takes a backup of an embedded data dir into a file: through the running Hearth's PostgreSQL (its
/// private socket) when a Hearth serves the data dir, else by starting the embedded server briefly.
/// The archive is written to a temporary file beside the target and renamed once complete.
/// </summary>
public static class BackupRun
{
    public const string OperatorsJob = "backups of an external database (--database-url) are the database operator's job (pg_dump, pg_basebackup, your provider's backups); Hearth backs up its embedded database only.";

    public static async Task<BackupWriter.Result> ToFileAsync(DataDirLayout layout, string outFile, IReadOnlyCollection<string> alsoSkip,
        ILogger logger, Action<string>? progress, CancellationToken ct)
    {
        if (!Directory.Exists(layout.ClusterDir))
            throw new HearthStartupException($"backup: '{layout.Root}' holds no Hearth database (no {layout.ClusterDir}).");
        outFile = Path.GetFullPath(outFile);
        if (File.Exists(outFile) || Directory.Exists(outFile))
            throw new HearthStartupException($"backup: '{outFile}' already exists; choose a new file name.");
        var folder = Path.GetDirectoryName(outFile)!;
        if (!Directory.Exists(folder)) throw new HearthStartupException($"backup: the folder '{folder}' does not exist.");

        EmbeddedPostgres? started = null;
        if (!IsServed(layout))
        {
            // Nobody serves it: start the embedded server for the length of the backup (it takes the data dir lock).
            started = new EmbeddedPostgres(layout, logger);
            await started.StartAsync(ct);
        }
        var temp = Path.Combine(folder, $".hearth-backup-{Guid.NewGuid():N}.tmp");
        try
        {
            BackupWriter.Result result;
            await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(layout.ConnectionString)
                         { Pooling = false, ApplicationName = "hearth backup" }.ConnectionString))
            {
                await conn.OpenAsync(ct);
                await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                result = await new BackupWriter(layout, alsoSkip, progress).WriteAsync(conn, file, ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, outFile);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(outFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // it holds the jwt-secret
            BackupStatus.RecordSuccess(layout, DateTimeOffset.UtcNow);
            return result;
        }
        catch (IOException e)
        {
            // Disk full, a vanished folder, …: one line, never a stack trace.
            throw new HearthStartupException($"backup: could not write '{outFile}': {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            if (started is not null) await started.StopAsync();
        }
    }

    /// <summary>Whether a Hearth holds the data dir's lock (then its PostgreSQL is up and ours must not start).</summary>
    private static bool IsServed(DataDirLayout layout)
    {
        try
        {
            DataDirLock.Acquire(layout.Root).Dispose();
            return false;
        }
        catch (HearthStartupException)
        {
            return true;
        }
    }
}
