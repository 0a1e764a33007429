using Hearth.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Cli;

/// <summary>Logging for one-shot commands (backup, restore): Hearth's console logging, warnings and up, plus progress lines on stderr.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(b => b.AddHearthConsole().SetMinimumLevel(LogLevel.Warning));

    public static void Progress(string line) => Console.Error.WriteLine("hearth: " + line);
}
