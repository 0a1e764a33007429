using System.CommandLine;
using System.Reflection;

namespace Hearth.Cli;

/// <summary>
/// The `hearth` command line. Flags and HEARTH_* variables are a contract with scripts outside this
/// repo: add to them, never rename. Usage errors print one line and exit with code 2.
/// </summary>
public static class HearthCli
{
    public const int UsageError = 2;

    public static string Version { get; } =
        typeof(HearthCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Hearth: a PostgREST-compatible HTTP API over an embedded PostgreSQL, in one binary.")
        {
            ServeCommand.Create(),
            MigrateCommand.Create(),
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"hearth: {result.Errors[0].Message} (see 'hearth --help')");
            return UsageError;
        }
        // The Generic Host handles SIGTERM/SIGINT itself (drain requests, then stop PostgreSQL);
        // System.CommandLine's own handler would end the process before that.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
