using System.Runtime.InteropServices;

namespace Hearth.Hosting;

/// <summary>
/// The few libc calls .NET has no API for: who we are, our parent, changing owners, account lookup,
/// locking a directory and signalling a process we did not start.
/// </summary>
internal static partial class Posix
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc")]
    private static partial int getppid();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open_(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    private const int LOCK_EX = 2, LOCK_NB = 4; // the same on Linux and macOS

    /// <summary>O_RDONLY | O_CLOEXEC: children (pg_ctl, postgres) must not inherit the lock.</summary>
    private static int OpenReadOnlyCloseOnExec => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    public const int SigInt = 2, SigQuit = 3;

    public static bool IsRoot => !OperatingSystem.IsWindows() && geteuid() == 0;

    /// <summary>The parent process id (0 on Windows, where the sidecar watches stdin only).</summary>
    public static int ParentPid => OperatingSystem.IsWindows() ? 0 : getppid();

    public static void Chown(string path, uint uid, uint gid)
    {
        if (chown(path, uid, gid) != 0)
            throw new HearthStartupException($"Could not change the owner of '{path}' (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>Chown a folder and everything below it (symlinks themselves are left alone).</summary>
    public static void ChownTree(string path, uint uid, uint gid)
    {
        Chown(path, uid, gid);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            if (entry.LinkTarget is null) Chown(entry.FullName, uid, gid);
    }

    /// <summary>uid and gid of a local account, or null when it does not exist (Linux struct passwd layout).</summary>
    public static (uint Uid, uint Gid)? LookupUser(string name)
    {
        var pw = getpwnam(name);
        if (pw == IntPtr.Zero) return null;
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
        var uid = (uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size);
        var gid = (uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size + 4);
        return (uid, gid);
    }

    /// <summary>
    /// Opens <paramref name="path"/> (a directory works too) and takes an exclusive, non-blocking flock
    /// on it. Returns the descriptor that holds the lock, or -1 when another open file description holds
    /// it. The kernel drops the lock when the descriptor is closed or the process dies (even by kill -9).
    /// </summary>
    public static int TryLockExclusive(string path)
    {
        var fd = open_(path, OpenReadOnlyCloseOnExec);
        if (fd < 0) throw new IOException($"Could not open '{path}' (errno {Marshal.GetLastPInvokeError()}).");
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        close(fd);
        if (errno is 11 or 35) return -1; // EWOULDBLOCK on Linux, macOS
        throw new IOException($"Could not lock '{path}' (errno {errno}).");
    }

    public static void Close(int fd) => close(fd);

    /// <summary>Makes a rename or a new entry in <paramref name="dir"/> durable (fsync of the folder itself); a no-op on Windows.</summary>
    public static void FsyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open_(dir, OpenReadOnlyCloseOnExec);
        if (fd < 0) throw new IOException($"Could not open '{dir}' (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"Could not fsync '{dir}' (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { close(fd); }
    }

    /// <summary>Sends a signal; false when the process does not exist (or is not ours to signal).</summary>
    public static bool Signal(int pid, int signal) => pid > 0 && kill(pid, signal) == 0;
}
