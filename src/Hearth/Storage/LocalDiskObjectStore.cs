using System.Security.Cryptography;

namespace Hearth.Storage;

/// <summary>
/// Files under the storage folder (by default &lt;data-dir&gt;/storage, so backups of the data dir carry them):
/// objects/&lt;first two hex digits&gt;/&lt;version&gt; for committed bytes, tmp/ for writes in progress. A write goes to
/// tmp/, is fsynced, renamed into objects/ (same file system, so atomic) and its folder fsynced — only then
/// may the caller commit the row. A crash leaves at most a tmp file or an unreferenced object file, both
/// removed by <see cref="SweepAsync"/> at startup.
/// </summary>
public sealed class LocalDiskObjectStore : IObjectStore
{
    private const int BufferSize = 128 * 1024;
    private readonly string _objects;
    private readonly string _tmp;

    private volatile bool _created;

    /// <summary>Nothing is created here: with --database-url and no storage schema, no folder must appear.</summary>
    public LocalDiskObjectStore(string root)
    {
        Root = root;
        _objects = Path.Combine(root, "objects");
        _tmp = Path.Combine(root, "tmp");
    }

    public string Root { get; }

    private void EnsureFolders()
    {
        if (_created) return;
        try
        {
            Directory.CreateDirectory(_objects);
            Directory.CreateDirectory(_tmp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Hosting.HearthStartupException($"Storage folder {Root} cannot be created ({e.Message}); set --storage-dir (HEARTH_STORAGE_DIR) to a writable folder.");
        }
        _created = true;
    }

    public async Task<StoredFile> WriteAsync(string version, Stream body, long limit, CancellationToken ct)
    {
        EnsureFolders();
        var temp = TempPath(version);
        try
        {
            long size = 0;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    int n;
                    while ((n = await body.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                    {
                        size += n;
                        if (size > limit) throw StorageErrors.EntityTooLarge();
                        md5.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), ct);
                    }
                }
                finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
                file.Flush(flushToDisk: true);
            }
            Publish(temp, version);
            return new StoredFile(size, "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "\"");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public async Task CopyAsync(string fromVersion, string toVersion, CancellationToken ct)
    {
        await using var source = OpenRead(fromVersion) ?? throw StorageErrors.NoSuchKey();
        await WriteAsync(toVersion, source, long.MaxValue, ct);
    }

    public Stream? OpenRead(string version)
    {
        if (ObjectPath(version) is not { } path) return null;
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public void Delete(string version)
    {
        if (ObjectPath(version) is { } path) TryDelete(path);
    }

    public async Task<int> SweepAsync(Func<IReadOnlyList<string>, Task<ISet<string>>> isReferenced, DateTime olderThan, CancellationToken ct)
    {
        EnsureFolders();
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_tmp))
            if (File.GetLastWriteTimeUtc(file) < olderThan && TryDelete(file)) removed++;
        var batch = new List<string>(1000);
        async Task Flush()
        {
            var keep = await isReferenced(batch);
            foreach (var version in batch)
                if (!keep.Contains(version) && ObjectPath(version) is { } path && File.GetLastWriteTimeUtc(path) < olderThan && TryDelete(path)) removed++;
            batch.Clear();
        }
        foreach (var dir in Directory.EnumerateDirectories(_objects))
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (ObjectPath(name) != file) { if (File.GetLastWriteTimeUtc(file) < olderThan && TryDelete(file)) removed++; continue; }
                batch.Add(name);
                if (batch.Count == 1000) await Flush();
            }
        if (batch.Count > 0) await Flush();
        return removed;
    }

    /// <summary>Renames the finished temp file into place and makes the rename durable.</summary>
    private void Publish(string temp, string version)
    {
        var path = ObjectPath(version) ?? throw new ArgumentException("not a version id", nameof(version));
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            Hosting.Posix.FsyncDirectory(_objects);
        }
        File.Move(temp, path, overwrite: false);
        Hosting.Posix.FsyncDirectory(dir);
    }

    private string TempPath(string version) =>
        Guid.TryParseExact(version, "D", out _) ? Path.Combine(_tmp, version + ".part") : throw new ArgumentException("not a version id", nameof(version));

    /// <summary>Only Hearth's own version ids (lower-case UUIDs) map to a file; anything else (a version set by SQL) has none.</summary>
    private string? ObjectPath(string version) =>
        version.Length == 36 && Guid.TryParseExact(version, "D", out var g) && g.ToString("D") == version
            ? Path.Combine(_objects, version[..2], version)
            : null;

    private static bool TryDelete(string path)
    {
        try { File.Delete(path); return true; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
