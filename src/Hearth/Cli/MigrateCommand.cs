using System.CommandLine;
using Hearth.Hosting;

namespace Hearth.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("migrate", "Apply pending migrations and exit.");
        common.AddTo(command);
        command.SetAction((r, ct) => CommandRunner.RunAsync(() => MigrateRun.RunAsync(common.ReadWithProject(r, common.Read(r)), ct)));
        return command;
    }
}
