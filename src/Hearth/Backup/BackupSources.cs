using Hearth.Hosting;

namespace Hearth.Backup;

/// <summary>
/// Which files a backup copies. For the cluster: PostgreSQL's documented list of what a base backup may
/// (and should) omit — "Making a Base Backup Using the Low Level API": pg_wal's contents (the needed WAL is
/// added separately), postmaster.pid/.opts, the contents of the temporary-state folders (kept as empty
/// folders: the server expects them), pgsql_tmp*, pg_internal.init, an old backup_label/tablespace_map.
/// For Hearth's own files: everything in the data dir but the cluster, the socket dir, the lock and backups.
/// </summary>
public static class BackupSources
{
    /// <summary>Folders whose contents are left out (the folders themselves are archived empty).</summary>
    private static readonly HashSet<string> EmptiedDirs = new(StringComparer.Ordinal)
    {
        "pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans",
    };

    private static readonly HashSet<string> SkippedClusterFiles = new(StringComparer.Ordinal)
    {
        "postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map", "backup_label.old", "tablespace_map.old",
    };

    /// <summary>Top-level entries of the data dir that are not Hearth state to keep.</summary>
    public static readonly HashSet<string> SkippedDataDirEntries = new(StringComparer.Ordinal)
    {
        "pg_embed", "run", "hearth.lock", "backups", BackupStatus.FileName,
    };

    public sealed record Item(string FullPath, string EntryName, bool IsDirectory, long Length);

    /// <summary>The cluster's files and folders, entry names relative to the cluster dir.</summary>
    public static List<Item> Cluster(string clusterDir)
    {
        var items = new List<Item>();
        Walk(new DirectoryInfo(clusterDir), "", items, (relative, entry) =>
        {
            var name = entry.Name;
            if (name.StartsWith("pgsql_tmp", StringComparison.Ordinal) || name == "pg_internal.init") return false;
            var parent = Path.GetDirectoryName(relative.TrimEnd('/'))?.Replace('\\', '/') ?? "";
            if (EmptiedDirs.Contains(parent)) return entry is DirectoryInfo && parent == "pg_wal" && name == "archive_status";
            if (parent == "pg_wal/archive_status") return false;
            return parent.Length > 0 || !SkippedClusterFiles.Contains(name);
        });
        return items;
    }

    /// <summary>Hearth's own files (jwt-secret, storage/, …), entry names relative to the data dir.</summary>
    public static List<Item> HearthFiles(DataDirLayout layout, IEnumerable<string> alsoSkip)
    {
        var skip = alsoSkip.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var items = new List<Item>();
        Walk(new DirectoryInfo(layout.Root), "", items, (relative, entry) =>
            !(IsTopLevel(relative, entry) && SkippedDataDirEntries.Contains(entry.Name))
            && !skip.Contains(entry.FullName)
            && !entry.Name.StartsWith(".hearth-backup-", StringComparison.Ordinal));
        return items;
    }

    private static bool IsTopLevel(string relative, FileSystemInfo entry) => relative.TrimEnd('/') == entry.Name;

    private static void Walk(DirectoryInfo dir, string prefix, List<Item> items, Func<string, FileSystemInfo, bool> include)
    {
        IEnumerable<FileSystemInfo> entries;
        try { entries = dir.EnumerateFileSystemInfos().ToList(); }
        catch (DirectoryNotFoundException) { return; } // dropped while we walk (a database, a temp folder)
        foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.LinkTarget is not null)
            {
                // Tablespaces (symlinks in pg_tblspc) live outside the data dir: Hearth never creates them.
                if (prefix.StartsWith("pg_tblspc", StringComparison.Ordinal) || entry.Name == "pg_tblspc")
                    throw new HearthStartupException($"backup: the cluster has a tablespace ({entry.FullName}); backups of tablespaces outside the data dir are not supported.");
                continue;
            }
            var relative = prefix + entry.Name + (entry is DirectoryInfo ? "/" : "");
            if (!include(relative, entry)) continue;
            if (entry is DirectoryInfo sub)
            {
                items.Add(new Item(sub.FullName, relative, true, 0));
                Walk(sub, relative, items, include);
            }
            else if (entry is FileInfo file)
            {
                items.Add(new Item(file.FullName, relative, false, file.Length));
            }
        }
    }
}
