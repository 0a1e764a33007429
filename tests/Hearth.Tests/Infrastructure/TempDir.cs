namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A scratch folder under /tmp that other users can traverse (mode 0755): when the tests run as root,
/// PostgreSQL runs as an unprivileged account and must reach the data dir.
/// </summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; }

    public TempDir(string prefix = "hearth-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hearth-tests", $"{prefix}-{Guid.NewGuid():N}"[..28]);
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(System.IO.Path.GetDirectoryName(Path)!, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
        }
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a postgres of a failed test may still hold it; /tmp is cleaned anyway */ }
        catch (UnauthorizedAccessException) { }
    }
}
