using System.Globalization;

namespace Hearth.Backup;

/// <summary>--backup-schedule's format: an interval, a whole number and a unit (s, m, h, d), at least a minute.</summary>
public static class BackupSchedule
{
    public static TimeSpan? ParseInterval(string text)
    {
        text = text.Trim();
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000) return null;
        TimeSpan? interval = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
        return interval >= TimeSpan.FromMinutes(1) ? interval : null;
    }
}
