using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Hearth.Hosting;

/// <summary>
/// The PostgreSQL binaries Hearth runs: found beside the executable (pgsql/postgres-VERSION-ARTIFACT,
/// staged by the build) or in HEARTH_PG_BINARIES. Never downloaded at run time.
/// </summary>
public sealed record PostgresInstall(string BinariesDir, string Version, string Artifact)
{
    public const string BinariesEnvVar = "HEARTH_PG_BINARIES";

    /// <summary>The folder holding bin/, lib/ and share/.</summary>
    public string InstallDir => Path.Combine(BinariesDir, $"postgres-{Version}-{Artifact}");

    /// <summary>HEARTH_PG_BINARIES, else pgsql/ beside the executable (development builds), else the copy embedded in the executable.</summary>
    public static PostgresInstall Locate(Microsoft.Extensions.Logging.ILogger logger)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "pgsql");
        var root = Environment.GetEnvironmentVariable(BinariesEnvVar) is { Length: > 0 } fromEnv ? Path.GetFullPath(fromEnv)
            : !Directory.Exists(beside) && PostgresFiles.HasEmbeddedInstall ? PostgresFiles.ExtractInstall(logger)
            : beside;
        var artifact = ArtifactForThisMachine();
        var prefix = "postgres-";
        var suffix = "-" + artifact;
        var found = Directory.Exists(root)
            ? Directory.EnumerateDirectories(root, prefix + "*" + suffix)
                .Select(Path.GetFileName)
                .Where(n => File.Exists(Path.Combine(root, n!, "bin", OperatingSystem.IsWindows() ? "pg_ctl.exe" : "pg_ctl")))
                .Select(n => n![prefix.Length..^suffix.Length])
                .OrderDescending(StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        if (found is null)
            throw new HearthStartupException(
                $"PostgreSQL binaries for {artifact} were not found in '{root}'. Build Hearth with 'dotnet build' or 'dotnet publish' " +
                $"(they are staged from npm into pgsql/ beside the executable), or set {BinariesEnvVar} to a folder holding postgres-<version>-{artifact}/.");
        return new PostgresInstall(root, found, artifact);
    }

    /// <summary>
    /// For a root run: a copy of this install that <paramref name="account"/> can read and execute,
    /// because PostgreSQL processes run as that account and must reach bin/, lib/ and share/.
    /// The install is used in place when it is reachable; otherwise it is copied once to /var/cache/hearth.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public PostgresInstall ReachableBy(DatabaseAccount account)
    {
        if (OpenToOthers(InstallDir) || CanRun(account, Path.Combine(InstallDir, "bin", "postgres"))) return this;
        var cacheRoot = Environment.GetEnvironmentVariable("HEARTH_ROOT_CACHE_DIR") is { Length: > 0 } c ? c : "/var/cache/hearth";
        var copy = this with { BinariesDir = Path.Combine(cacheRoot, "pgsql") };
        var stamp = Path.Combine(copy.InstallDir, ".hearth-copied");
        if (!File.Exists(stamp))
        {
            var tmp = copy.InstallDir + "." + Environment.ProcessId + ".tmp";
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            CopyTree(InstallDir, tmp);
            if (Directory.Exists(copy.InstallDir)) Directory.Delete(copy.InstallDir, true);
            Directory.Move(tmp, copy.InstallDir);
            File.WriteAllText(stamp, InstallDir);
        }
        if (!CanRun(account, Path.Combine(copy.InstallDir, "bin", "postgres")))
            throw new HearthStartupException(
                $"The PostgreSQL binaries in '{InstallDir}' are not reachable by the user '{account.Name}', and neither is the copy in '{copy.InstallDir}'. " +
                "Make every parent folder traversable for that user (chmod o+x) or run Hearth as a regular user.");
        return copy;
    }

    /// <summary>
    /// Writes bin/initdb and bin/pg_ctl wrappers under <paramref name="shimRoot"/> that run the real tools
    /// as <paramref name="account"/>: the embedding library calls exactly these two, as root.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public PostgresInstall WithUnprivilegedShim(string shimRoot, DatabaseAccount account)
    {
        var shim = this with { BinariesDir = shimRoot };
        var bin = Path.Combine(shim.InstallDir, "bin");
        Directory.CreateDirectory(bin);
        var setpriv = FindOnPath("setpriv") ?? throw new HearthStartupException(
            "Running Hearth as root needs 'setpriv' (util-linux) to start PostgreSQL as an unprivileged user. Install util-linux or run Hearth as a regular user.");
        foreach (var tool in new[] { "initdb", "pg_ctl" })
        {
            var path = Path.Combine(bin, tool);
            File.WriteAllText(path,
                $"#!/bin/sh\n# Written by Hearth: PostgreSQL refuses root, so run it as '{account.Name}'.\n" +
                $"exec '{setpriv}' --reuid={account.Uid} --regid={account.Gid} --init-groups -- '{Path.Combine(InstallDir, "bin", tool)}' \"$@\"\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return shim;
    }

    /// <summary>
    /// Whether any user can run this install by its mode bits alone: every folder up to / traversable by
    /// others, bin/postgres executable and lib/ readable. Saves starting a process on every root start
    /// (the install Hearth unpacks is made so); when false, <see cref="CanRun"/> tries for real.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static bool OpenToOthers(string installDir)
    {
        try
        {
            for (var dir = new DirectoryInfo(installDir); dir is not null; dir = dir.Parent)
                if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0) return false;
            var postgres = new FileInfo(Path.Combine(installDir, "bin", "postgres"));
            var lib = new DirectoryInfo(Path.Combine(installDir, "lib"));
            const UnixFileMode readAndEnter = UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            return postgres.Exists && (postgres.UnixFileMode & readAndEnter) == readAndEnter
                && (new DirectoryInfo(Path.Combine(installDir, "bin")).UnixFileMode & readAndEnter) == readAndEnter
                && lib.Exists && (lib.UnixFileMode & readAndEnter) == readAndEnter;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CanRun(DatabaseAccount account, string executable)
    {
        var setpriv = FindOnPath("setpriv");
        if (setpriv is null) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo(setpriv,
                [$"--reuid={account.Uid}", $"--regid={account.Gid}", "--init-groups", "--", executable, "--version"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/bin")
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    [UnsupportedOSPlatform("windows")]
    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        File.SetUnixFileMode(to, (UnixFileMode)0b111_101_101);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var dest = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link) File.CreateSymbolicLink(dest, link);
            else if (entry is DirectoryInfo) CopyTree(entry.FullName, dest);
            else
            {
                File.Copy(entry.FullName, dest);
                File.SetUnixFileMode(dest, (File.GetUnixFileMode(entry.FullName) | UnixFileMode.OtherRead | UnixFileMode.GroupRead)
                    | ((File.GetUnixFileMode(entry.FullName) & UnixFileMode.UserExecute) != 0 ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
            }
        }
    }

    private static string ArtifactForThisMachine()
    {
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64v8",
            var other => throw new HearthStartupException($"Hearth ships no PostgreSQL binaries for {other}."),
        };
        return $"{os}-{arch}";
    }
}
