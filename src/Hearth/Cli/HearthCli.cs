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


    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Hearth: a PostgREST-compatible HTTP API over an embedded PostgreSQL, in one binary.")
        {
            ServeCommand.Create(),
            MigrateCommand.Create(),
            KeysCommand.Create(),
            BackupCommand.Create(),
            RestoreCommand.Create(),
            MigrationCommand.Create(),
            DbCommand.Create(),
            GenCommand.Create(),
        };
        HideComputedDefaults(root);
        // No response files: "@path" is how --jwt-secret names a key file (as PostgREST's jwt-secret does).
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"hearth: {result.Errors[0].Message} (see 'hearth --help')");
            return UsageError;
        }
        // The Generic Host handles SIGTERM/SIGINT itself (drain requests, then stop PostgreSQL);
        // System.CommandLine's own handler would end the process before that.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>
    /// System.CommandLine's help prints each option's computed default, which is the HEARTH_* variable
    /// when set — a --database-url password, for one — and its builder cannot be customised in this
    /// version. So help is this plain listing; descriptions carry the fixed defaults (OptionFactory).
    /// </summary>
    private static void HideComputedDefaults(RootCommand root)
    {
        if (root.Options.OfType<System.CommandLine.Help.HelpOption>().FirstOrDefault() is { } help) help.Action = new PlainHelp();
    }

    private sealed class PlainHelp : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            var name = command is RootCommand ? "hearth" : "hearth " + command.Name;
            var options = command.Options.Where(o => o is not System.CommandLine.Help.HelpOption).Select(o => (Label(o), o.Description ?? ""))
                .Append(("-h, --help", "Show help and usage information")).ToList();
            var commands = command.Subcommands.Select(c => (c.Name, c.Description ?? "")).ToList();
            var width = options.Concat(commands).Max(row => row.Item1.Length) + 2;
            var output = Console.Out;
            output.WriteLine($"Description:\n  {command.Description}\n\nUsage:\n  {name}{(commands.Count > 0 ? " [command]" : "")} [options]\n\nOptions:");
            foreach (var (label, text) in options) output.WriteLine($"  {label.PadRight(width)}{text}");
            if (commands.Count == 0) return 0;
            output.WriteLine("\nCommands:");
            foreach (var (label, text) in commands) output.WriteLine($"  {label.PadRight(width)}{text}");
            return 0;
        }

        private static string Label(Option o) =>
            string.Join(", ", o.Aliases.Order().Append(o.Name)) + (o is Option<bool> || o.Name == "--version" ? "" : $" <{o.Name.TrimStart('-')}>");
    }
}
