namespace Hearth.Hosting;

/// <summary>
/// Keeps a second Hearth off a data dir that one is already using. The lock is an advisory flock held
/// for the process lifetime, so the kernel releases it even after kill -9.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirLock(FileStream stream) => _stream = stream;

    public static DataDirLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, "hearth.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var w = new StreamWriter(stream, leaveOpen: true)) w.Write(Environment.ProcessId);
            return new DataDirLock(stream);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new HearthStartupException(
                $"Another Hearth is already using the data directory '{dataDir}' ({path} is locked). Stop it first, or pass a different --data-dir.", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
