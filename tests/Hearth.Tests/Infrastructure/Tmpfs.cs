using System.Diagnostics;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A small private tmpfs, to fill a disk without touching the machine's real one. Needs root (CI runs
/// as root): a test that needs it fails clearly otherwise, it is never skipped. Mounted mode 0755 under
/// /tmp/hearth-tests so the unprivileged database user of a root run can reach it.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    public string Path { get; }

    private Tmpfs(string path) => Path = path;

    public static async Task<Tmpfs> MountAsync(string prefix, int sizeMiB)
    {
        if (!Signals.IsRoot) throw new InvalidOperationException("This test mounts a tmpfs to fill a disk and must run as root (CI does).");
        var path = new TempDir(prefix).Path;
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m,mode=0755", "tmpfs", path);
        return new Tmpfs(path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>
    /// Fills the file system with one file until only <paramref name="leaveBytes"/> are free (0: full to
    /// the last page). Real writes, not a sparse file: tmpfs only counts pages that were written.
    /// </summary>
    public string Fill(long leaveBytes = 0)
    {
        var filler = Combine("filler");
        using var f = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var chunk = new byte[1 << 20];
        foreach (var size in new[] { 1 << 20, 4096 })
        {
            while (FreeBytes - leaveBytes >= size)
            {
                try { f.Write(chunk, 0, size); f.Flush(); }
                catch (IOException) { break; } // no space left
            }
        }
        return filler;
    }

    public void Dispose()
    {
        // Lazy: a postgres of a failed test may still have files open; the mount goes once they close.
        RunAsync("umount", "-l", Path).GetAwaiter().GetResult();
        try { Directory.Delete(Path); } catch (IOException) { }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
    }
}
