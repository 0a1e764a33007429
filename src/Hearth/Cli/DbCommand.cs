using System.CommandLine;
using Hearth.Hosting;

namespace Hearth.Cli;

/// <summary>`hearth db reset` (the Supabase CLI's command).</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var yes = OptionFactory.Flag("--yes", "Confirm a reset of the database at --database-url (public and every schema its user owns are dropped).");
        var reset = new Command("reset", "Drop the database's data, then apply the baseline, every migration and the seeds again, as on a first start.");
        common.AddTo(reset);
        reset.Options.Add(yes);
        reset.Validators.Add(r =>
        {
            if (r.GetValue(common.DatabaseUrl) is not null && !r.GetValue(yes))
                r.AddError("db reset drops public and every schema the --database-url user owns: add --yes to confirm.");
        });
        reset.SetAction((r, ct) => CommandRunner.RunAsync(() => DbReset.RunAsync(common.ReadWithProject(r, common.Read(r)), ct)));
        return new Command("db", "Database commands.") { reset };
    }
}
