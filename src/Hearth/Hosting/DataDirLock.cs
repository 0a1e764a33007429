namespace Hearth.Hosting;

/// <summary>
/// Keeps a second Hearth off a data dir that one is already using. Two advisory flocks, held for the
/// process lifetime, so the kernel releases them even after kill -9:
/// - on the data directory itself (its own descriptor). This is the guard that counts: a directory
///   cannot be deleted and recreated under a running Hearth while it holds the cluster, so the lock
///   cannot be lost by deleting a file;
/// - on <c>hearth.lock</c>, which also records our pid for operators (and is all Windows has: there an
///   open file cannot be deleted).
/// </summary>
public sealed class DataDirLock : IDisposable
{
    private readonly int _dirFd;
    private readonly FileStream _stream;

    private DataDirLock(int dirFd, FileStream stream)
    {
        _dirFd = dirFd;
        _stream = stream;
    }

    public static DataDirLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, "hearth.lock");
        var dirFd = -1;
        if (!OperatingSystem.IsWindows())
        {
            dirFd = Posix.TryLockExclusive(dataDir);
            if (dirFd < 0) throw InUse(dataDir, "the directory is locked");
        }
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var w = new StreamWriter(stream, leaveOpen: true)) w.Write(Environment.ProcessId);
            return new DataDirLock(dirFd, stream);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            if (dirFd >= 0) Posix.Close(dirFd);
            throw InUse(dataDir, $"{path} is locked", e);
        }
        catch
        {
            if (dirFd >= 0) Posix.Close(dirFd); // e.g. hearth.lock not writable: the directory lock must not outlive the failure
            throw;
        }
    }

    private static HearthStartupException InUse(string dataDir, string why, Exception? inner = null) =>
        new($"Another Hearth is already using the data directory '{dataDir}' ({why}). Stop it first, or pass a different --data-dir.", inner);

    public void Dispose()
    {
        _stream.Dispose();
        if (_dirFd >= 0) Posix.Close(_dirFd);
    }
}
