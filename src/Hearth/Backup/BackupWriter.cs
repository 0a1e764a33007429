using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Hearth.Hosting;
using Npgsql;

namespace Hearth.Backup;

/// <summary>
/// An online physical backup through PostgreSQL's non-exclusive low-level API, over one session:
/// a temporary physical replication slot reserves the WAL first (so no checkpoint can recycle it while we
/// copy), pg_backup_start(fast), the data files, pg_backup_stop() (its backup_label and tablespace map go
/// into the archive as files), then the WAL segments from start to stop, then Hearth's own files. Ending
/// the session drops the slot and aborts an unfinished backup, so a failure leaves nothing behind.
/// </summary>
public sealed class BackupWriter(DataDirLayout layout, IReadOnlyCollection<string> alsoSkip, Action<string>? progress = null)
{
    public sealed record Result(long ArchiveBytes, long SourceBytes, int Entries, TimeSpan Elapsed, string StopLsn);

    public async Task<Result> WriteAsync(NpgsqlConnection conn, Stream output, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var counting = new CountingStream(output);
        var created = DateTimeOffset.UtcNow;
        var label = $"hearth backup {created:yyyy-MM-ddTHH:mm:ssZ}";
        var slot = $"hearth_backup_{Environment.ProcessId}_{Random.Shared.Next(1_000_000)}";
        var version = await ScalarAsync(conn, "show server_version", null, ct);
        await ScalarAsync(conn, "select pg_create_physical_replication_slot($1, true, true)::text", slot, ct);
        var startLsn = await ScalarAsync(conn, "select pg_backup_start($1, true)::text", label, ct);
        var entries = 0;
        long copied = 0;
        var cluster = BackupSources.Cluster(layout.ClusterDir);
        var total = cluster.Sum(i => i.Length);
        var meter = new Progress(progress, total);
        string stopLsn;

        await using (var gzip = new GZipStream(counting, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            var manifest = new BackupManifest(BackupArchive.Format, HearthVersion.Current, version, created, startLsn, label);
            await WriteBytesAsync(tar, BackupArchive.ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, BackupJsonContext.Default.BackupManifest), ct);
            entries++;
            foreach (var item in cluster)
            {
                if (await WriteItemAsync(tar, item, BackupArchive.ClusterPrefix, ct)) entries++;
                copied += item.Length;
                meter.Report(copied);
            }

            string labelFile, spcMap;
            await using (var stop = new NpgsqlCommand("select lsn::text, labelfile, coalesce(spcmapfile, '') from pg_backup_stop(false)", conn) { CommandTimeout = 0 })
            await using (var reader = await stop.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                (stopLsn, labelFile, spcMap) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            }
            await WriteBytesAsync(tar, BackupArchive.ClusterPrefix + "backup_label", System.Text.Encoding.UTF8.GetBytes(labelFile), ct);
            entries++;
            if (spcMap.Length > 0)
            {
                await WriteBytesAsync(tar, BackupArchive.ClusterPrefix + "tablespace_map", System.Text.Encoding.UTF8.GetBytes(spcMap), ct);
                entries++;
            }

            // The WAL the copy needs to be consistent: still in pg_wal, held there by our slot.
            var firstWal = await ScalarAsync(conn, "select pg_walfile_name($1::pg_lsn)", startLsn, ct);
            var lastWal = await ScalarAsync(conn, "select pg_walfile_name($1::pg_lsn)", stopLsn, ct);
            var walDir = Path.Combine(layout.ClusterDir, "pg_wal");
            var wal = Directory.EnumerateFiles(walDir)
                .Select(Path.GetFileName).OfType<string>()
                .Where(n => n.EndsWith(".history", StringComparison.Ordinal)
                            || (n.Length == 24 && string.CompareOrdinal(n, firstWal) >= 0 && string.CompareOrdinal(n, lastWal) <= 0))
                .Order(StringComparer.Ordinal).ToList();
            if (!wal.Contains(lastWal))
                throw new HearthStartupException($"backup: the WAL segment {lastWal} the backup ends in is missing from {walDir}.");
            foreach (var name in wal)
            {
                var file = new FileInfo(Path.Combine(walDir, name));
                if (await WriteItemAsync(tar, new BackupSources.Item(file.FullName, "pg_wal/" + name, false, file.Length), BackupArchive.ClusterPrefix, ct)) entries++;
            }

            // Hearth's own files (storage objects among them) after the database: an object a row names was written before its row.
            foreach (var item in BackupSources.HearthFiles(layout, alsoSkip))
                if (await WriteItemAsync(tar, item, BackupArchive.FilesPrefix, ct)) entries++;

            var end = new BackupEnd(stopLsn, entries, DateTimeOffset.UtcNow);
            await WriteBytesAsync(tar, BackupArchive.EndEntry, JsonSerializer.SerializeToUtf8Bytes(end, BackupJsonContext.Default.BackupEnd), ct);
            entries++;
            meter.Done();
        }
        await output.FlushAsync(ct);
        return new Result(counting.Bytes, total, entries, watch.Elapsed, stopLsn);
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection conn, string sql, string? arg, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        if (arg is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task WriteBytesAsync(TarWriter tar, string name, byte[] bytes, CancellationToken ct)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(bytes),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            ModificationTime = DateTimeOffset.UtcNow,
        };
        await tar.WriteEntryAsync(entry, ct);
    }

    /// <summary>False when the file vanished before we opened it (a dropped table): PostgreSQL's WAL replay accounts for that.</summary>
    private static async Task<bool> WriteItemAsync(TarWriter tar, BackupSources.Item item, string prefix, CancellationToken ct)
    {
        var name = prefix + item.EntryName;
        if (item.IsDirectory)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_000_000 }, ct);
            return true;
        }
        FileStream file;
        try { file = new FileStream(item.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: false); }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        await using (file)
        {
            var mode = OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(file.SafeFileHandle);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                // The size is fixed when we open the file: PostgreSQL may extend or truncate it while we copy (the WAL replay repairs that).
                DataStream = new FixedLengthStream(file, file.Length),
                Mode = mode,
                ModificationTime = File.GetLastWriteTimeUtc(item.FullPath),
            };
            await tar.WriteEntryAsync(entry, ct);
        }
        return true;
    }

    /// <summary>A progress line on stderr every few seconds for long runs.</summary>
    private sealed class Progress(Action<string>? report, long total)
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.Zero;

        public void Report(long done)
        {
            if (report is null || _since.Elapsed - _last < TimeSpan.FromSeconds(2)) return;
            _last = _since.Elapsed;
            report($"backup: {(total == 0 ? 100 : done * 100 / total)}% of the database copied ({done >> 20} of {total >> 20} MB)");
        }

        public void Done() => report?.Invoke($"backup: database copied ({total >> 20} MB), adding WAL and files");
    }
}
