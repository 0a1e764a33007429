using System.Runtime.InteropServices;

namespace Hearth.Hosting;

/// <summary>The few libc calls .NET has no API for: who we are, our parent, changing owners, account lookup.</summary>
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
}
