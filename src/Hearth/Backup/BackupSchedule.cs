namespace Hearth.Backup;

/// <summary>--backup-schedule's format: an interval, a whole number and a unit (s, m, h, d), at least a minute.</summary>
public static class BackupSchedule
{
    public static TimeSpan? ParseInterval(string text) =>
        Cli.DurationText.Parse(text) is { } interval && interval >= TimeSpan.FromMinutes(1) ? interval : null;
}
