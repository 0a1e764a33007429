using System.Diagnostics;
using System.Globalization;
using System.Text;
using MysticMind.PostgresEmbed;

namespace Hearth.Hosting;

/// <summary>
/// Starts the postmaster of an existing cluster and notices it is ready within milliseconds.
/// `pg_ctl start -w` (what MysticMind.PostgresEmbed runs) checks postmaster.pid only every 100 ms, so a
/// server ready after 70 ms was reported at 100 or 200 ms. This does what pg_ctl does — its own session
/// (terminal signals such as Ctrl-C reach Hearth, not PostgreSQL), output appended to postgres.log —
/// and polls postmaster.pid's status line ("ready") every few ms. The library still does everything else
/// (initdb, stopping, status).
/// </summary>
internal static class PostmasterLauncher
{
    private const string ManagedConf = "pg_embed.conf";
    private const string IncludeLine = "include_if_exists = 'pg_embed.conf'";

    /// <summary>setsid (util-linux) puts the postmaster in a session of its own, as pg_ctl does; without it the library starts it.</summary>
    public static string? Setsid { get; } = OperatingSystem.IsLinux() ? PostgresInstall.FindOnPath("setsid") : null;

    /// <summary>
    /// The settings file the library writes at its own start (pg_embed.conf, included from postgresql.conf),
    /// written the same way so both paths start the same server.
    /// </summary>
    public static void WriteServerConfig(string clusterDir, int port, IDictionary<string, string> serverParams)
    {
        var conf = new StringBuilder("# Written by Hearth (or MysticMind.PostgresEmbed) on every start.\n")
            .Append(CultureInfo.InvariantCulture, $"port = {port}\n");
        foreach (var (key, value) in serverParams)
            conf.Append(CultureInfo.InvariantCulture, $"{key} = '{value.Replace("'", "''", StringComparison.Ordinal)}'\n");
        File.WriteAllText(Path.Combine(clusterDir, ManagedConf), conf.ToString());
        var main = Path.Combine(clusterDir, "postgresql.conf");
        if (!File.ReadLines(main).Any(l => l.Trim() == IncludeLine))
            File.AppendAllText(main, "\n" + IncludeLine + "\n");
    }

    /// <summary>
    /// Runs `postgres -D clusterDir` (as <paramref name="account"/> when Hearth is root) and returns once
    /// postmaster.pid says ready. Throws <see cref="PostgresEmbedException"/> with the log's tail when the
    /// postmaster exits first (a stale lock file, a bad setting, a full disk) or does not get ready in time.
    /// </summary>
    public static async Task<Process> StartAsync(string setsid, string postgresBin, string clusterDir, string logFile,
        DatabaseAccount? account, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(setsid) { UseShellExecute = false };
        if (account is not null)
        {
            var setpriv = PostgresInstall.FindOnPath("setpriv") ?? throw new HearthStartupException(
                "Running Hearth as root needs 'setpriv' (util-linux) to start PostgreSQL as an unprivileged user. Install util-linux or run Hearth as a regular user.");
            foreach (var a in new[] { setpriv, $"--reuid={account.Uid}", $"--regid={account.Gid}", "--init-groups", "--" }) start.ArgumentList.Add(a);
        }
        // The shell only redirects (as pg_ctl's does) and execs: the process started here is the postmaster.
        foreach (var a in new[] { "/bin/sh", "-c", "exec \"$0\" -D \"$1\" >>\"$2\" 2>&1 </dev/null", postgresBin, clusterDir, logFile })
            start.ArgumentList.Add(a);
        var logLength = File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
        var process = Process.Start(start) ?? throw new PostgresEmbedException("Could not start the PostgreSQL server process.");
        var watch = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            if (ReadyPid(clusterDir) == process.Id) return process;
            if (process.HasExited)
            {
                var code = process.ExitCode;
                process.Dispose();
                throw new PostgresEmbedException($"PostgreSQL exited while starting (exit code {code}).{Environment.NewLine}{LogSince(logFile, logLength)}");
            }
            if (watch.Elapsed > timeout)
            {
                Posix.Signal(process.Id, Posix.SigQuit);
                throw new PostgresEmbedException($"PostgreSQL was not ready within {timeout.TotalSeconds:0} s.{Environment.NewLine}{LogSince(logFile, logLength)}");
            }
            await Task.Delay(delay, ct);
            delay = Math.Min(delay * 2, 8);
        }
    }

    /// <summary>The postmaster's pid once postmaster.pid's status line (line 8, PostgreSQL 10+) says "ready".</summary>
    private static int? ReadyPid(string clusterDir)
    {
        string[] lines;
        try
        {
            using var stream = new FileStream(Path.Combine(clusterDir, "postmaster.pid"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            lines = reader.ReadToEnd().Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return lines.Length > 7 && lines[7].Trim() == "ready" && int.TryParse(lines[0].Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>What the server logged during this start (its last 20 lines), for the error.</summary>
    private static string LogSince(string logFile, long offset)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length >= offset) stream.Seek(offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
