using System.Globalization;
using Hearth.Hosting;

namespace Hearth.Backup;

/// <summary>
/// When the last backup of a data dir succeeded, kept in the file <c>last-backup</c> in the data dir (so
/// a `hearth backup` run beside `hearth serve` counts too); read by the backup-age metric.
/// </summary>
public static class BackupStatus
{
    public const string FileName = "last-backup";

    public static void RecordSuccess(DataDirLayout layout, DateTimeOffset when)
    {
        try { File.WriteAllText(Path.Combine(layout.Root, FileName), when.ToString("O", CultureInfo.InvariantCulture)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the backup itself succeeded */ }
    }

    public static DateTimeOffset? LastSuccess(DataDirLayout layout)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(layout.Root, FileName)).Trim();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
