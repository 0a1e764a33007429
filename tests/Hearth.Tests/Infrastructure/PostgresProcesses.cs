namespace Hearth.Tests.Infrastructure;

/// <summary>Looks at the postmaster of a data dir through /proc, as an operator would with ps.</summary>
public static class PostgresProcesses
{
    public static string PidFile(string dataDir) => Path.Combine(dataDir, "pg_embed", "hearth", "data", "postmaster.pid");

    public static int? PostmasterPid(string dataDir)
    {
        var file = PidFile(dataDir);
        if (!File.Exists(file)) return null;
        return int.TryParse(File.ReadLines(file).FirstOrDefault(), out var pid) ? pid : null;
    }

    /// <summary>True while the process exists and is not a zombie (a reaped-later dead process is not running).</summary>
    public static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)];
            return state is not ('Z' or 'X');
        }
        catch (IOException) { return false; }
    }

    /// <summary>Every live process whose command line mentions this data dir.</summary>
    public static List<int> ProcessesUsing(string dataDir) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsRunning(pid) && CommandLine(pid).Contains(dataDir, StringComparison.Ordinal)
                          && CommandLine(pid).Contains("postgres", StringComparison.Ordinal))
            .ToList();

    public static uint Uid(int pid) =>
        uint.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    public static async Task WaitUntilGoneAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning(pid) && DateTime.UtcNow < deadline) await Task.Delay(50);
    }
}
