using System.Globalization;

namespace Hearth.Cli;

/// <summary>Durations in flags: a whole number and a unit (s, m, h, d), e.g. 30s, 5m, 6h; "0" alone is zero.</summary>
public static class DurationText
{
    public static TimeSpan? Parse(string text)
    {
        text = text.Trim();
        if (text == "0") return TimeSpan.Zero;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000) return null;
        return char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }
}
