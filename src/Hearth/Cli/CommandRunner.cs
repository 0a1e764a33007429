using Hearth.Hosting;
using Hearth.Migrations;

namespace Hearth.Cli;

/// <summary>Turns a failed start into one readable line on stderr and exit code 1 — no stack trace.</summary>
internal static class CommandRunner
{
    public const int Failure = 1;

    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is HearthStartupException or MigrationException)
        {
            await Console.Error.WriteLineAsync("hearth: " + e.Message);
            return Failure;
        }
        catch (HearthUsageException e)
        {
            await Console.Error.WriteLineAsync("hearth: " + e.Message);
            return HearthCli.UsageError;
        }
        catch (UnauthorizedAccessException e)
        {
            // Typically a data or cache dir owned by another user: say which path, skip the stack trace.
            await Console.Error.WriteLineAsync("hearth: permission denied: " + e.Message);
            return Failure;
        }
    }
}
