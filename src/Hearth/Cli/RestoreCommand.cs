using System.CommandLine;
using System.Globalization;
using Hearth.Backup;
using Hearth.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Cli;

/// <summary>`hearth restore --from FILE --data-dir NEW [--wal-archive DIR [--to-time T]]` (Backup/RestoreRun).</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var from = OptionFactory.Text("--from", "Backup file written by hearth backup.");
        var dataDir = OptionFactory.Text("--data-dir", "New (or empty) folder to restore into; never overwritten.", HearthOptions.DefaultDataDir);
        var walArchive = OptionFactory.Text("--wal-archive", "Folder of archived WAL (serve --wal-archive): replay it after the backup, to its end or to --to-time.");
        var toTime = OptionFactory.Text("--to-time", "Point in time to recover to, ISO 8601 (e.g. 2026-11-30T12:34:56Z; no offset means UTC). Needs --wal-archive.");
        var databaseUrl = OptionFactory.Text("--database-url", "Refused: an external database is restored by its operator.");
        var command = new Command("restore", "Restore a backup into a new data dir; with --wal-archive and --to-time, to a point in time.") { from, dataDir, walArchive, toTime, databaseUrl };
        command.SetAction((r, ct) => CommandRunner.RunAsync(async () =>
        {
            if (r.GetValue(databaseUrl) is not null) throw new HearthUsageException("restore: " + BackupRun.OperatorsJob);
            var file = r.GetValue(from) ?? throw new HearthUsageException("restore: --from FILE is required.");
            var archive = r.GetValue(walArchive) is { } dir ? WalArchive.Normalize(dir) : null;
            DateTimeOffset? target = null;
            if (r.GetValue(toTime) is { } text)
            {
                if (archive is null) throw new HearthUsageException("restore: --to-time needs --wal-archive (the WAL written after the backup).");
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                    throw new HearthUsageException($"restore: --to-time '{text}' is not an ISO 8601 time such as 2026-11-30T12:34:56Z.");
                target = t;
            }
            using var loggers = CliLogging.Create();
            var layout = DataDirLayout.For(r.GetValue(dataDir) ?? HearthOptions.DefaultDataDir);
            var result = await RestoreRun.RunAsync(file, layout, archive, target, loggers.CreateLogger("Hearth.Postgres"), CliLogging.Progress, ct);
            CliLogging.Progress($"restore: restored the backup of {result.Manifest.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} into {layout.Root} in {result.Elapsed.TotalSeconds:0.0} s; start it with: hearth serve --data-dir {layout.Root}");
            return 0;
        }));
        return command;
    }
}
