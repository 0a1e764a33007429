using System.CommandLine;
using Hearth.Backup;
using Hearth.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Cli;

/// <summary>`hearth backup --data-dir D --out FILE`: an online backup of the embedded database and Hearth's files (Backup/BackupRun).</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var dataDir = OptionFactory.Text("--data-dir", "Data dir to back up (it may be in use by a running hearth serve).", HearthOptions.DefaultDataDir);
        var output = OptionFactory.Text("--out", "Backup file to write (a new file; .tar.gz archive).");
        var databaseUrl = OptionFactory.Text("--database-url", "Refused: an external database is backed up by its operator.");
        var command = new Command("backup", "Write an online backup of the embedded database and Hearth's files (storage, jwt-secret) to one file.") { dataDir, output, databaseUrl };
        command.SetAction((r, ct) => CommandRunner.RunAsync(async () =>
        {
            if (r.GetValue(databaseUrl) is not null) throw new HearthUsageException("backup: " + BackupRun.OperatorsJob);
            var outFile = r.GetValue(output) ?? throw new HearthUsageException("backup: --out FILE is required.");
            using var loggers = CliLogging.Create();
            var layout = DataDirLayout.For(r.GetValue(dataDir) ?? HearthOptions.DefaultDataDir);
            var result = await BackupRun.ToFileAsync(layout, outFile, [], loggers.CreateLogger("Hearth.Postgres"), CliLogging.Progress, ct);
            CliLogging.Progress($"backup: wrote {Path.GetFullPath(outFile)} ({Mb(result.ArchiveBytes)} MB from {Mb(result.SourceBytes)} MB of database files) in {result.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return command;
    }

    internal static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
