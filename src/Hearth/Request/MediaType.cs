using Hearth.Response;

namespace Hearth.Request;

public enum MediaType { Json, SingleObject, Csv, Plan }

/// <summary>Accept header negotiation among the media types Hearth can produce for a response.</summary>
public static class MediaTypes
{
    public static string ContentType(MediaType type) => type switch
    {
        MediaType.SingleObject => "application/vnd.pgrst.object+json; charset=utf-8",
        MediaType.Csv => "text/csv; charset=utf-8",
        MediaType.Plan => "application/vnd.pgrst.plan+json; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    /// <summary>Picks the most preferred acceptable type (by q, then order); 406 PGRST107 when none is.</summary>
    public static MediaType Negotiate(string? accept, bool planEnabled)
    {
        if (string.IsNullOrWhiteSpace(accept)) return MediaType.Json;
        var ranges = accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select((part, index) =>
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                var q = 1.0;
                foreach (var param in pieces.Skip(1))
                    if (param.StartsWith("q=", StringComparison.OrdinalIgnoreCase) &&
                        double.TryParse(param.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture, out var parsed)) q = parsed;
                return (Type: pieces[0].ToLowerInvariant(), Q: q, Index: index);
            })
            .Where(r => r.Q > 0)
            .OrderByDescending(r => r.Q).ThenBy(r => r.Index);
        foreach (var (type, _, _) in ranges)
        {
            MediaType? match = type switch
            {
                "application/json" or "application/*" or "*/*" or "application/vnd.pgrst.array+json" => MediaType.Json,
                "application/vnd.pgrst.object+json" or "application/vnd.pgrst.object" => MediaType.SingleObject,
                "text/csv" or "text/*" => MediaType.Csv,
                "application/vnd.pgrst.plan+json" or "application/vnd.pgrst.plan" when planEnabled => MediaType.Plan,
                _ => null,
            };
            if (match is { } m) return m;
        }
        throw new ApiException(new ApiError("PGRST107", null, null, "None of these media types are available: " + accept) { Status = 406 });
    }
}
