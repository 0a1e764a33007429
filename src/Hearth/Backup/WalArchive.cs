using Hearth.Hosting;

namespace Hearth.Backup;

/// <summary>
/// Continuous WAL archiving into a folder (serve --wal-archive DIR) and reading it back (restore).
/// The commands are plain POSIX shell tools (test, cmp, cp, mv; sync on Linux), never the hearth
/// executable: PostgreSQL runs them as its own account (the 'hearth' user when Hearth runs as root),
/// which may not be able to reach a single-file binary under /root. A segment is copied to a .part file
/// and renamed, so a crash never leaves a half-written segment under its real name; a segment already
/// archived is accepted again only when identical (as PostgreSQL's docs advise).
/// </summary>
public static class WalArchive
{
    /// <summary>
    /// Force a segment switch after this long with writes, so a quiet server's last changes reach the
    /// archive within a minute (each switch costs one mostly empty 16 MB segment, compressible).
    /// </summary>
    public const string ArchiveTimeout = "60s";

    public static string Normalize(string dir)
    {
        var full = Path.GetFullPath(dir).TrimEnd('/');
        if (full.IndexOfAny(['"', '\'', '`', '$', '\\', '\n', '\r', '%']) >= 0)
            throw new HearthUsageException($"--wal-archive: '{dir}' contains a character (quote, $, `, \\, %) that cannot be used in PostgreSQL's archive command; choose another folder.");
        return full;
    }

    public static IReadOnlyDictionary<string, string> ServerParams(string dir)
    {
        var sync = OperatingSystem.IsLinux() ? $" && sync \"{dir}/%f.part\"" : "";
        return new Dictionary<string, string>
        {
            ["archive_mode"] = "on",
            ["archive_command"] = $"if test -f \"{dir}/%f\"; then cmp -s \"%p\" \"{dir}/%f\"; else cp \"%p\" \"{dir}/%f.part\"{sync} && mv \"{dir}/%f.part\" \"{dir}/%f\"; fi",
            ["archive_timeout"] = ArchiveTimeout,
        };
    }

    public static string RestoreCommand(string dir) => $"cp \"{dir}/%f\" \"%p\"";

    /// <summary>Creates the folder; on a root run hands it to the database account, which writes the segments.</summary>
    public static void Prepare(string dir, DatabaseAccount? account)
    {
        Directory.CreateDirectory(dir);
        if (OperatingSystem.IsWindows()) return;
        if (account is not null) Posix.Chown(dir, account.Uid, account.Gid);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
