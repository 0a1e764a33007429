using System.Diagnostics;

namespace Hearth.Hosting;

/// <summary>
/// The unprivileged OS account PostgreSQL runs as when Hearth itself runs as root (PostgreSQL refuses
/// root, as the official postgres image works around with a dedicated user). Created on first use.
/// </summary>
public sealed record DatabaseAccount(string Name, uint Uid, uint Gid)
{
    public const string DefaultName = "hearth";

    public static DatabaseAccount Ensure(string name)
    {
        if (!OperatingSystem.IsLinux())
            throw new HearthStartupException("Running Hearth as root is only supported on Linux; run it as a regular user.");
        if (Posix.LookupUser(name) is not { } ids)
        {
            Create(name);
            ids = Posix.LookupUser(name) ?? throw new HearthStartupException(
                $"Could not create the system user '{name}' that PostgreSQL runs as. Create it yourself (useradd --system {name}) or run Hearth as a regular user.");
        }
        if (ids.Uid == 0)
            throw new HearthStartupException($"The account '{name}' has uid 0; PostgreSQL must run as an unprivileged account.");
        return new DatabaseAccount(name, ids.Uid, ids.Gid);
    }

    private static void Create(string name)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("useradd",
                ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No useradd on this system: the lookup that follows reports it clearly.
        }
    }
}
