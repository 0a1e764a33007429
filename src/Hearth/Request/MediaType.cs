using Hearth.Errors;

namespace Hearth.Request;

public enum MediaType { Json, SingleObject, Csv, Plan }

/// <summary>
/// application/vnd.pgrst.plan[+json|+text]; for="…"; options=analyze|verbose|settings|buffers|wal:
/// the EXPLAIN format, the media type whose query is explained, and EXPLAIN's options.
/// </summary>
public sealed record PlanSpec(bool Json, string For, IReadOnlyList<string> Options)
{
    public MediaType ForType => For switch
    {
        "text/csv" => MediaType.Csv,
        "application/vnd.pgrst.object+json" or "application/vnd.pgrst.object" => MediaType.SingleObject,
        _ => MediaType.Json,
    };

    public string ContentType =>
        $"application/vnd.pgrst.plan+{(Json ? "json" : "text")}; for=\"{For}\"" +
        (Options.Count > 0 ? "; options=" + string.Join("|", Options) : "") + "; charset=utf-8";
}

/// <summary>Accept header negotiation among the media types Hearth can produce for a response.</summary>
public static class MediaTypes
{
    public static string ContentType(MediaType type) => type switch
    {
        MediaType.SingleObject => "application/vnd.pgrst.object+json; charset=utf-8",
        MediaType.Csv => "text/csv; charset=utf-8",
        MediaType.Plan => "application/vnd.pgrst.plan+text; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    private static readonly string[] PlanOptionNames = ["analyze", "verbose", "settings", "buffers", "wal"];

    /// <summary>The plan parameters of the Accept header's plan media type (call after Negotiate returned Plan).</summary>
    public static PlanSpec PlanSpecOf(string accept)
    {
        var range = accept.Split(',', StringSplitOptions.TrimEntries)
            .First(r => r.StartsWith("application/vnd.pgrst.plan", StringComparison.OrdinalIgnoreCase));
        var pieces = range.Split(';', StringSplitOptions.TrimEntries);
        var json = pieces[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        var forType = "application/json";
        var options = new List<string>();
        foreach (var param in pieces.Skip(1))
        {
            var kv = param.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length < 2) continue;
            if (kv[0].Equals("for", StringComparison.OrdinalIgnoreCase)) forType = kv[1].Trim('"');
            else if (kv[0].Equals("options", StringComparison.OrdinalIgnoreCase))
                options.AddRange(kv[1].Trim('"').Split('|').Where(o => PlanOptionNames.Contains(o)));
        }
        return new PlanSpec(json, forType, options);
    }

    /// <summary>Picks the most preferred acceptable type (by q, then order); 406 PGRST107 when none is.</summary>
    public static MediaType Negotiate(string? accept, bool planEnabled)
    {
        if (string.IsNullOrWhiteSpace(accept)) return MediaType.Json;
        // The values clients send nearly always (one range, no parameters): no splitting, sorting or LINQ.
        if (accept.Equals("application/json", StringComparison.OrdinalIgnoreCase) || accept == "*/*") return MediaType.Json;
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
                "application/vnd.pgrst.plan+json" or "application/vnd.pgrst.plan+text" or "application/vnd.pgrst.plan" when planEnabled => MediaType.Plan,
                _ => null,
            };
            if (match is { } m) return m;
        }
        throw ApiErrors.MediaTypeNotAvailable(accept);
    }
}
