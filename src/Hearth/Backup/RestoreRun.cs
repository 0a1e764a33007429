using System.Globalization;
using Hearth.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Backup;

/// <summary>
/// `hearth restore`: unpacks a backup into a new data dir (never over an existing one), then starts the
/// embedded PostgreSQL once so recovery runs now — replaying the backup's own WAL, and with a WAL archive
/// every archived segment up to <c>--to-time</c> (recovery_target_time, then promote) — and stops it. A
/// restore that fails leaves no data dir behind; one that succeeds starts with a plain `hearth serve`.
/// </summary>
public static class RestoreRun
{
    public sealed record Result(BackupManifest Manifest, BackupEnd End, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(string from, DataDirLayout target, string? walArchive, DateTimeOffset? toTime,
        ILogger logger, Action<string>? progress, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        from = Path.GetFullPath(from);
        if (!File.Exists(from)) throw new HearthStartupException($"restore: '{from}' does not exist.");
        if (File.Exists(target.Root)) throw new HearthStartupException($"restore: '{target.Root}' is a file; give a new folder as --data-dir.");
        var existed = Directory.Exists(target.Root);
        if (existed && Directory.EnumerateFileSystemEntries(target.Root).Any())
            throw new HearthStartupException($"restore: the data dir '{target.Root}' is not empty; restore into a new (or empty) folder.");
        if (walArchive is not null && !Directory.Exists(walArchive)) throw new HearthStartupException($"restore: the WAL archive '{walArchive}' does not exist.");

        var parent = Path.GetDirectoryName(target.Root)!;
        Directory.CreateDirectory(parent);
        var staging = DataDirLayout.For(Path.Combine(parent, $".{Path.GetFileName(target.Root)}.restoring-{Guid.NewGuid().ToString("N")[..8]}"));
        var moved = false;
        try
        {
            Directory.CreateDirectory(staging.Root);
            BackupExtractor.Extracted extracted;
            try { extracted = BackupExtractor.Extract(from, staging, progress); }
            catch (IOException e) { throw new HearthStartupException($"restore: could not unpack '{from}' into '{parent}': {e.Message}", e); }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(staging.Root, (UnixFileMode)0b111_101_101);
                File.SetUnixFileMode(staging.ClusterDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            if (walArchive is not null) WriteRecoverySettings(staging.ClusterDir, walArchive, toTime);
            if (existed) Directory.Delete(target.Root);
            Directory.Move(staging.Root, target.Root);
            moved = true;
            if (!OperatingSystem.IsWindows() && Posix.IsRoot)
            {
                // PostgreSQL runs as the database account: it must own the whole restored cluster.
                var account = DatabaseAccount.Ensure(DatabaseAccount.DefaultName);
                Directory.CreateDirectory(target.InstanceDir);
                Posix.ChownTree(target.InstanceDir, account.Uid, account.Gid);
            }
            progress?.Invoke(walArchive is null ? "restore: files in place, starting PostgreSQL to replay the backup's WAL"
                : $"restore: files in place, replaying WAL from {walArchive}" + (toTime is { } t ? $" up to {t.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ}" : ""));
            await RecoverAsync(target, walArchive is not null, logger, ct);
            return new Result(extracted.Manifest, extracted.End, watch.Elapsed);
        }
        catch
        {
            TryDelete(staging.Root);
            if (moved) TryDelete(target.Root);
            if (moved && existed) Directory.CreateDirectory(target.Root);
            throw;
        }
    }

    /// <summary>recovery.signal plus restore_command and the target in postgresql.auto.conf (removed again after promotion).</summary>
    private static void WriteRecoverySettings(string clusterDir, string walArchive, DateTimeOffset? toTime)
    {
        File.WriteAllText(Path.Combine(clusterDir, "recovery.signal"), "");
        var lines = new List<string>
        {
            "# Written by hearth restore for point-in-time recovery; reset once recovery has finished.",
            $"restore_command = '{WalArchive.RestoreCommand(walArchive)}'",
        };
        if (toTime is { } t)
        {
            lines.Add($"recovery_target_time = '{t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'");
            lines.Add("recovery_target_action = 'promote'");
        }
        File.AppendAllLines(Path.Combine(clusterDir, "postgresql.auto.conf"), lines);
    }

    private static async Task RecoverAsync(DataDirLayout target, bool archiveRecovery, ILogger logger, CancellationToken ct)
    {
        var server = new EmbeddedPostgres(target, logger);
        try
        {
            await server.StartAsync(ct);
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ConnectionString);
            await conn.OpenAsync(ct);
            // Archive recovery accepts (read-only) connections once consistent: wait for the promotion.
            var deadline = DateTime.UtcNow + TimeSpan.FromHours(1);
            while (await ScalarAsync<bool>(conn, "select pg_is_in_recovery()", ct))
            {
                if (DateTime.UtcNow > deadline) throw new HearthStartupException("restore: recovery did not finish within an hour.");
                await Task.Delay(200, ct);
            }
            if (archiveRecovery)
                foreach (var setting in new[] { "restore_command", "recovery_target_time", "recovery_target_action" })
                    await ScalarAsync<object>(conn, $"alter system reset {setting}", ct);
        }
        catch (Exception e) when (e is NpgsqlException or HearthStartupException && LastFatal(target) is { } fatal)
        {
            throw new HearthStartupException($"restore: PostgreSQL could not recover the backup: {fatal}", e);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync(ct) ?? default(T)!);
    }

    /// <summary>PostgreSQL's own reason, e.g. "recovery ended before configured recovery target was reached".</summary>
    private static string? LastFatal(DataDirLayout target)
    {
        try
        {
            return File.ReadLines(target.LogFile).Where(l => l.Contains("FATAL:", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf("FATAL:", StringComparison.Ordinal) + 6)..].Trim()).LastOrDefault();
        }
        catch (IOException) { return null; }
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
