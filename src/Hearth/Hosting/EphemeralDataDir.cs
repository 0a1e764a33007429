namespace Hearth.Hosting;

/// <summary>
/// `serve --ephemeral`: a throwaway data dir under the temp folder, whose cluster comes from the template
/// like any new data dir, deleted when Hearth exits (SIGTERM, Ctrl-C, the sidecar's parent leaving, a
/// failed start). A kill -9 leaves it behind in the temp folder.
/// </summary>
public static class EphemeralDataDir
{
    public static async Task<int> RunAsync(HearthOptions options, Func<HearthOptions, Task<int>> serve)
    {
        if (!options.Ephemeral) return await serve(options);
        if (options.DatabaseUrl is not null)
            throw new HearthUsageException("--ephemeral uses a throwaway embedded database: it cannot be combined with --database-url.");
        var dir = Path.Combine(Path.GetTempPath(), "hearth-ephemeral-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        // Run as root, PostgreSQL runs as an unprivileged account that must be able to enter the folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        try
        {
            return await serve(options with { DataDir = dir });
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"hearth: warning: could not delete the --ephemeral data dir {dir}: {e.Message}");
            }
        }
    }
}
