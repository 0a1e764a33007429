using Hearth.Errors;
using System.Globalization;
using System.Text.Json;
using Hearth.Request;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Response;

/// <summary>
/// Turns the (total, page_total, response.headers, response.status, body) row of a read into PostgREST's
/// response: status 200/206/416, Content-Range, the negotiated Content-Type, the headers and status SQL
/// set, and the body — copied out of PostgreSQL into a <see cref="BufferedBody"/>, which the caller sends
/// after the connection is back in the pool (a slow client must never hold a database connection).
/// </summary>
public static class ReadResponse
{
    /// <param name="plannedCount">The first result is an EXPLAIN whose estimate is the total (count=planned).</param>
    /// <param name="estimateAbove">count=estimated with --db-max-rows: the exact count (capped) up to this, the estimate beyond.</param>
    /// <returns>The body to send once the connection is released; null for HEAD.</returns>
    public static async Task<BufferedBody?> ReadAsync(HttpContext ctx, ApiRequest request, long offset, bool plannedCount,
        NpgsqlDataReader reader, CancellationToken ct, long? estimateAbove = null)
    {
        long? total = null;
        long? planned = null;
        if (plannedCount || estimateAbove is not null)
        {
            await reader.ReadAsync(ct);
            total = planned = PlanRows(reader.GetString(0));
            await reader.NextResultAsync(ct);
        }
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("The read statement returned no row.");
        if (!plannedCount && !await reader.IsDBNullAsync(0, ct))
        {
            var counted = reader.GetInt64(0);
            total = estimateAbove is { } max && counted > max ? Math.Max(counted, planned ?? 0) : counted;
        }
        var pageTotal = reader.GetInt64(1);
        var gucs = await ResponseGucs.ReadAsync(reader, 2, ct);

        if (request.Accept == MediaType.SingleObject && pageTotal != 1)
            throw ApiErrors.NotSingular(pageTotal);

        var response = ctx.Response;
        if (total is { } t && offset > 0 && offset >= t && !(t == 0 && offset == 0))
            throw ApiErrors.RangeNotSatisfiable($"An offset of {offset} was requested, but there are only {t} rows.", t);

        var upper = offset + pageTotal - 1;
        response.StatusCode = total is { } all && pageTotal < all ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        response.Headers["Content-Range"] = (pageTotal > 0 ? $"{offset}-{upper}" : "*") + "/" +
            (total?.ToString(CultureInfo.InvariantCulture) ?? "*");
        response.ContentType = MediaTypes.ContentType(request.Accept);
        gucs.ApplyTo(response);
        if (request.IsHead) return null;
        await using var body = await reader.GetFieldValueAsync<Stream>(4, ct);
        return await BufferedBody.CopyAsync(body, ct);
    }

    /// <summary>The planner's row estimate from EXPLAIN (FORMAT JSON).</summary>
    private static long PlanRows(string explainJson)
    {
        using var doc = JsonDocument.Parse(explainJson);
        return (long)doc.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    /// <summary>
    /// application/vnd.pgrst.plan: the EXPLAIN output of the request's query (one JSON value, or text
    /// lines), returned as the body to send once the connection is released.
    /// </summary>
    public static async Task<string> ReadPlanAsync(HttpContext ctx, PlanSpec spec, NpgsqlDataReader reader, CancellationToken ct)
    {
        var lines = new List<string>();
        while (await reader.ReadAsync(ct)) lines.Add(reader.GetString(0));
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = spec.ContentType;
        return string.Join('\n', lines);
    }
}
