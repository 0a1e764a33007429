using System.Globalization;
using Hearth.Data;
using Hearth.Errors;
using Hearth.Request;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>
/// A read's response (tables, views, functions): status 200/206 (416 past the end), Content-Range, the
/// negotiated Content-Type, then what SQL set in response.headers/status, and the body.
/// </summary>
public static class ReadResponse
{
    /// <param name="offset">Where the page starts (the plan's offset).</param>
    /// <param name="estimateAbove">count=estimated with --db-max-rows: the exact count (capped) up to this, the estimate beyond.</param>
    /// <param name="applied">Preferences to echo in Preference-Applied (function calls).</param>
    public static ApiResponse For(ApiRequest request, ApiResult result, long offset, long? estimateAbove = null, IReadOnlyList<string>? applied = null)
    {
        var total = Total(request.Prefer.Count, result, estimateAbove);
        var pageTotal = result.PageTotal;
        if (MediaTypes.IsSingular(request.Accept) && pageTotal != 1) throw ApiErrors.NotSingular(pageTotal);
        if (total is { } t && offset > 0 && offset >= t)
            throw ApiErrors.RangeNotSatisfiable($"An offset of {offset} was requested, but there are only {t} rows.", t);

        var status = total is { } all && pageTotal < all ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        var headers = new ApiResponse.HeaderList()
            .PreferenceApplied(applied ?? [])
            .Add("Content-Range", ContentRange(offset, pageTotal, total))
            .Add("Content-Type", MediaTypes.ContentType(request.Accept))
            .FromSql(result.Gucs);
        return new ApiResponse(result.Gucs.Status ?? status, headers.ToList(), result.Body);
    }

    /// <summary><c>first-last/total</c>, <c>*</c> for an empty page or an unknown total; formatted in place (every read sends it).</summary>
    internal static string ContentRange(long offset, long pageTotal, long? total)
    {
        Span<char> text = stackalloc char[64]; // two longs, '-', '/' and a third long fit
        var length = 0;
        if (pageTotal > 0)
        {
            length += Format(offset, text);
            text[length++] = '-';
            length += Format(offset + pageTotal - 1, text[length..]);
        }
        else text[length++] = '*';
        text[length++] = '/';
        if (total is { } t) length += Format(t, text[length..]);
        else text[length++] = '*';
        return new string(text[..length]);

        static int Format(long value, Span<char> into) => value.TryFormat(into, out var written, default, CultureInfo.InvariantCulture) ? written : 0;
    }

    /// <summary>The total for Content-Range: the planner's estimate (count=planned), the exact count, or the estimate past --db-max-rows.</summary>
    private static long? Total(CountPreference count, ApiResult result, long? estimateAbove)
    {
        if (count == CountPreference.Planned) return result.PlannedTotal;
        if (result.Total is not { } counted) return estimateAbove is null ? null : result.PlannedTotal;
        return estimateAbove is { } max && counted > max ? Math.Max(counted, result.PlannedTotal ?? 0) : counted;
    }

    /// <summary>application/vnd.pgrst.plan: the EXPLAIN output of the request's query (one JSON value, or text lines).</summary>
    public static ApiResponse Explain(PlanSpec spec, ApiResult result, IReadOnlyList<string> applied) =>
        new(StatusCodes.Status200OK, new ApiResponse.HeaderList().PreferenceApplied(applied).Add("Content-Type", spec.ContentType).ToList(), result.Body);
}
