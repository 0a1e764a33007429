using Hearth.Errors;

namespace Hearth.Request;

/// <summary>
/// A row window: Offset and an optional inclusive upper bound. Built from the Range header
/// ("Range: 0-9", Range-Unit items) and intersected with limit/offset, as PostgREST does.
/// </summary>
public sealed record RowRange(long Offset, long? Upper)
{
    public static readonly RowRange All = new(0, null);

    public long? Limit => Upper is { } u ? Math.Max(0, u - Offset + 1) : null;

    /// <summary>Range header value, or All when absent or unparsable (PostgREST ignores those).</summary>
    public static RowRange FromHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return All;
        var value = header.Trim();
        if (value.StartsWith("items=", StringComparison.OrdinalIgnoreCase)) value = value[6..];
        var dash = value.IndexOf('-');
        if (dash <= 0 || !long.TryParse(value.AsSpan(0, dash), out var lower)) return All;
        var rest = value.AsSpan(dash + 1);
        if (rest.Length == 0) return new RowRange(lower, null);
        if (!long.TryParse(rest, out var upper)) return All;
        if (upper < lower) throw NotSatisfiable("The lower boundary must be lower than or equal to the upper boundary in the Range header.");
        return new RowRange(lower, upper);
    }

    /// <summary>Applies limit/offset query parameters inside this range.</summary>
    public RowRange Restrict(long? limit, long? offset)
    {
        if (limit < 0) throw NotSatisfiable("Limit should be greater than or equal to zero.");
        var start = Offset + Math.Max(0, offset ?? 0);
        long? upper = Upper;
        if (limit is { } l)
        {
            var byLimit = start + l - 1;
            upper = upper is { } u ? Math.Min(u, byLimit) : byLimit;
        }
        return new RowRange(start, upper);
    }

    public static ApiException NotSatisfiable(string details) => ApiErrors.RangeNotSatisfiable(details);
}
