namespace Hearth.Backup;

/// <summary>
/// The backup file format: a PAX tar archive, gzip-compressed (fastest level), so a plain
/// <c>tar -tzf backup.tar.gz</c> can list it. Entries, in order:
/// <list type="bullet">
/// <item><c>hearth-backup.json</c> — <see cref="BackupManifest"/>;</item>
/// <item><c>cluster/…</c> — the PostgreSQL data directory (with backup_label, and in <c>cluster/pg_wal/</c> the WAL
/// from the backup's start to its end);</item>
/// <item><c>files/…</c> — Hearth's own files in the data dir (jwt-secret, storage/, …);</item>
/// <item><c>hearth-backup-end.json</c> — <see cref="BackupEnd"/>, last: its absence means the archive is cut short.</item>
/// </list>
/// gzip's CRC catches damaged bytes; the end entry catches truncation.
/// </summary>
public static class BackupArchive
{
    public const int Format = 1;
    public const string ManifestEntry = "hearth-backup.json";
    public const string EndEntry = "hearth-backup-end.json";
    public const string ClusterPrefix = "cluster/";
    public const string FilesPrefix = "files/";

    /// <summary>The usual file name suffix.</summary>
    public const string Extension = ".tar.gz";
}
