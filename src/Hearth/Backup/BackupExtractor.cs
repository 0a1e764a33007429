using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Hearth.Hosting;

namespace Hearth.Backup;

/// <summary>
/// Unpacks a backup archive into a fresh data dir layout. Every entry is checked like hostile input:
/// only files and folders, names inside the target, the manifest first and the end entry last.
/// </summary>
public static class BackupExtractor
{
    public sealed record Extracted(BackupManifest Manifest, BackupEnd End);

    public static Extracted Extract(string archive, DataDirLayout target, Action<string>? progress)
    {
        try
        {
            return ExtractCore(archive, target, progress);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or JsonException or ArgumentException)
        {
            throw Damaged(archive, e.Message);
        }
    }

    private static Extracted ExtractCore(string archive, DataDirLayout target, Action<string>? progress)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        BackupManifest? manifest = null;
        BackupEnd? end = null;
        var entries = 0;
        var report = DateTime.UtcNow;
        while (tar.GetNextEntry() is { } entry)
        {
            if (end is not null) throw Damaged(archive, "entries after the end marker");
            if (manifest is null)
            {
                if (entry.Name != BackupArchive.ManifestEntry) throw new HearthStartupException($"restore: '{archive}' is not a Hearth backup (it does not start with {BackupArchive.ManifestEntry}).");
                manifest = JsonSerializer.Deserialize(ReadAll(entry), BackupJsonContext.Default.BackupManifest) ?? throw Damaged(archive, "empty manifest");
                if (manifest.Format != BackupArchive.Format)
                    throw new HearthStartupException($"restore: '{archive}' has backup format {manifest.Format}; this Hearth reads format {BackupArchive.Format}.");
                entries++;
                continue;
            }
            if (entry.Name == BackupArchive.EndEntry)
            {
                // Its count covers the entries before it.
                end = JsonSerializer.Deserialize(ReadAll(entry), BackupJsonContext.Default.BackupEnd) ?? throw Damaged(archive, "empty end marker");
                continue;
            }
            var dest = Destination(archive, target, entry.Name);
            if (entry.EntryType == TarEntryType.Directory)
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dest);
                else Directory.CreateDirectory(dest, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                WriteFile(entry, dest);
            else
                throw Damaged(archive, $"unexpected entry type {entry.EntryType} for {entry.Name}");
            entries++;
            if (progress is not null && DateTime.UtcNow - report > TimeSpan.FromSeconds(2))
            {
                report = DateTime.UtcNow;
                progress($"restore: {file.Position * 100 / Math.Max(1, file.Length)}% of the archive read");
            }
        }
        if (manifest is null) throw new HearthStartupException($"restore: '{archive}' is not a Hearth backup (it is empty).");
        if (end is null) throw Damaged(archive, "it ends before its end marker: the file is incomplete");
        if (end.Entries != entries) throw Damaged(archive, $"it holds {entries} entries, its end marker says {end.Entries}");
        return new Extracted(manifest, end);
    }

    /// <summary>cluster/X → the instance's data dir; files/X → the data dir itself. Anything else, or a path escaping them, is refused.</summary>
    private static string Destination(string archive, DataDirLayout target, string name)
    {
        var (root, relative) = name.StartsWith(BackupArchive.ClusterPrefix, StringComparison.Ordinal) ? (target.ClusterDir, name[BackupArchive.ClusterPrefix.Length..])
            : name.StartsWith(BackupArchive.FilesPrefix, StringComparison.Ordinal) ? (target.Root, name[BackupArchive.FilesPrefix.Length..])
            : throw Damaged(archive, $"unexpected entry {name}");
        relative = relative.TrimEnd('/');
        if (relative.Length == 0 || relative.Split('/').Any(part => part is "" or "." or "..") || relative.Contains('\\') || relative.Contains('\0'))
            throw Damaged(archive, $"unsafe entry name {name}");
        if (root == target.Root && BackupSources.SkippedDataDirEntries.Contains(relative.Split('/')[0]))
            throw Damaged(archive, $"unexpected entry {name}");
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw Damaged(archive, $"unsafe entry name {name}");
        return full;
    }

    private static void WriteFile(TarEntry entry, string dest)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = (entry.Mode & (UnixFileMode)0b111_000_000) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var output = new FileStream(dest, options);
        entry.DataStream?.CopyTo(output);
    }

    private static byte[] ReadAll(TarEntry entry)
    {
        if (entry.DataStream is null || entry.Length > 1 << 20) throw new InvalidDataException($"{entry.Name} is missing or too large");
        using var buffer = new MemoryStream();
        entry.DataStream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static HearthStartupException Damaged(string archive, string why) =>
        new($"restore: '{archive}' is damaged or not a Hearth backup ({why}).");
}
