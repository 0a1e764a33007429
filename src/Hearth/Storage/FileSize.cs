using System.Globalization;

namespace Hearth.Storage;

/// <summary>
/// Sizes as people write them: "50MiB", "20MB", "512KB", "3B" or plain bytes. Like the Supabase CLI's
/// config.toml, KB/MB/GB and KiB/MiB/GiB are both powers of 1024; the bucket API's strings ("20MB") follow
/// Supabase's storage server, which takes KB/MB/GB as powers of 1000.
/// </summary>
public static class FileSize
{
    public static bool TryParse(string text, bool decimalUnits, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        if (end == 0 || !decimal.TryParse(s[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var unit = s[end..].Trim().ToLowerInvariant();
        decimal k = decimalUnits ? 1000 : 1024;
        decimal? factor = unit switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => unit == "kib" ? 1024 : k,
            "m" or "mb" or "mib" => unit == "mib" ? 1024m * 1024 : k * k,
            "g" or "gb" or "gib" => unit == "gib" ? 1024m * 1024 * 1024 : k * k * k,
            _ => null,
        };
        if (factor is null) return false;
        var result = value * factor.Value;
        if (result > long.MaxValue) return false;
        bytes = (long)result;
        return true;
    }
}
