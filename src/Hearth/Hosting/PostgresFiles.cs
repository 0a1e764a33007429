using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// The PostgreSQL files the single-file build carries as resources: the install (tar + Brotli), unpacked
/// once into a per-user cache keyed by its hash, and a template cluster copied into new data dirs so they
/// need no initdb. Extraction goes to a temporary folder that is renamed into place, so two processes
/// starting at once cannot see or leave a half-unpacked install.
/// </summary>
public static class PostgresFiles
{
    private const string InstallResource = "hearth.pgsql.tar.br";
    private const string InfoResource = "hearth.pgsql.info";
    private const string TemplateResource = "hearth.template.tar.br";
    private const string TemplateFileName = "template.tar.br";

    private static Assembly Self => typeof(PostgresFiles).Assembly;

    public static bool HasEmbeddedInstall => Self.GetManifestResourceInfo(InstallResource) is not null;

    /// <summary>The cache root: HEARTH_CACHE_DIR, else /var/cache/hearth for root (reachable by the database user), else the user's cache.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("HEARTH_CACHE_DIR") is { Length: > 0 } dir ? Path.GetFullPath(dir)
        : !OperatingSystem.IsWindows() && Posix.IsRoot ? "/var/cache/hearth"
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "hearth")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hearth");

    /// <summary>Unpacks the embedded install if this version is not in the cache yet; returns the binaries root.</summary>
    public static string ExtractInstall(ILogger logger)
    {
        var (sha, bytes, name) = ReadInfo();
        var root = Path.Combine(CacheRoot, "pgsql-" + sha[..16]);
        var pgCtl = Path.Combine(root, name, "bin", OperatingSystem.IsWindows() ? "pg_ctl.exe" : "pg_ctl");
        if (File.Exists(pgCtl)) return root;

        Directory.CreateDirectory(CacheRoot);
        var tmp = $"{root}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var watch = Stopwatch.StartNew();
        logger.LogInformation("Unpacking PostgreSQL {Name} into {Root} (first start of this version only)", name, root);
        try
        {
            VerifyHash(sha);
            using (var resource = Self.GetManifestResourceStream(InstallResource)!)
            using (var brotli = new BrotliStream(resource, CompressionMode.Decompress))
            using (var progress = new ProgressStream(brotli, bytes, percent => logger.LogInformation("Unpacking PostgreSQL: {Percent}%", percent)))
            {
                Directory.CreateDirectory(tmp);
                TarFile.ExtractToDirectory(progress, tmp, overwriteFiles: false);
            }
            if (!OperatingSystem.IsWindows()) MakeReadable(tmp);
            try
            {
                Directory.Move(tmp, root);
            }
            catch (IOException) when (File.Exists(pgCtl))
            {
                // Another Hearth finished the same extraction first: use its copy.
            }
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
        logger.LogInformation("Unpacked PostgreSQL in {Elapsed} ms", watch.ElapsedMilliseconds);
        return root;
    }

    /// <summary>
    /// Creates <paramref name="clusterDir"/> from the template cluster (embedded, or template.tar.br beside
    /// the staged binaries). False when there is none; the caller then lets initdb run.
    /// </summary>
    public static bool TryCreateClusterFromTemplate(string clusterDir, string binariesRoot)
    {
        var besides = Path.Combine(binariesRoot, TemplateFileName);
        using var stream = Self.GetManifestResourceStream(TemplateResource) ?? (File.Exists(besides) ? File.OpenRead(besides) : null);
        if (stream is null) return false;
        var parent = Path.GetDirectoryName(clusterDir)!;
        var tmp = Path.Combine(parent, $".template-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            using (var brotli = new BrotliStream(stream, CompressionMode.Decompress))
                TarFile.ExtractToDirectory(brotli, tmp, overwriteFiles: false);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(Path.Combine(tmp, "data"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Move(Path.Combine(tmp, "data"), clusterDir);
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
        return true;
    }

    private static (string Sha, long Bytes, string Name) ReadInfo()
    {
        using var reader = new StreamReader(Self.GetManifestResourceStream(InfoResource)!);
        var parts = reader.ReadToEnd().Trim().Split(' ');
        return (parts[0], long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), "postgres-" + parts[2]);
    }

    private static void VerifyHash(string expected)
    {
        using var resource = Self.GetManifestResourceStream(InstallResource)!;
        var actual = Convert.ToHexStringLower(SHA256.HashData(resource));
        if (actual != expected)
            throw new HearthStartupException($"The PostgreSQL archive inside this executable is damaged (sha256 {actual}, expected {expected}). Download Hearth again.");
    }

    /// <summary>Others must read and traverse the install: a root run hands it to the database user.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadable(string dir)
    {
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(dir)))
        {
            if (entry.LinkTarget is not null) continue;
            var mode = entry.UnixFileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            if (entry is DirectoryInfo || (mode & UnixFileMode.UserExecute) != 0) mode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            entry.UnixFileMode = mode;
        }
    }

    /// <summary>Reports every 10% of the bytes read, for the first-start progress lines.</summary>
    private sealed class ProgressStream(Stream inner, long total, Action<int> report) : Stream
    {
        private long _read;
        private int _lastTenth;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            _read += n;
            var tenth = total > 0 ? (int)Math.Min(10, _read * 10 / total) : 0;
            if (tenth > _lastTenth && tenth < 10) { _lastTenth = tenth; report(tenth * 10); }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
