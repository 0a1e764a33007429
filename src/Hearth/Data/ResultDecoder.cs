using System.Text.Json;
using Hearth.Sql;
using Npgsql;

namespace Hearth.Data;

/// <summary>
/// Reads an <see cref="ApiQuery"/>'s results into an <see cref="ApiResult"/>, once, while the transaction is
/// open: the planned-count EXPLAIN (if any), then the main row column by column in
/// <see cref="ResultColumns"/> order, the body copied out last.
/// </summary>
public static class ResultDecoder
{
    public static async ValueTask<ApiResult> DecodeAsync(NpgsqlDataReader reader, ApiQuery query, bool readBody, CancellationToken ct)
    {
        if (query.IsExplain)
        {
            var lines = new List<string>();
            while (await reader.ReadAsync(ct)) lines.Add(reader.GetString(0));
            return ApiResult.Explain(string.Join('\n', lines));
        }
        long? planned = null;
        if (query.PlannedCount is not null)
        {
            await reader.ReadAsync(ct);
            planned = PlanRows(reader.GetString(0));
            await reader.NextResultAsync(ct);
        }
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("The main statement returned no row.");
        var total = await Int64Async(reader, ResultColumns.TotalResultSet, ct);
        var pageTotal = reader.GetInt64(ResultColumns.PageTotal);
        // Invalid response settings fail here, inside the transaction, so a write is rolled back. Columns a statement
        // cannot fill (response settings nobody can set, a read's write facts) are constant nulls: not read at all.
        var gucs = query.ReadsResponseSettings
            ? ResponseGucs.Parse(await TextAsync(reader, ResultColumns.ResponseHeaders, ct), await TextAsync(reader, ResultColumns.ResponseStatus, ct))
            : ResponseGucs.None;
        long? inserted = null;
        string[]? location = null;
        if (query.IsWrite)
        {
            inserted = await Int64Async(reader, ResultColumns.ResponseInserted, ct);
            location = await reader.IsDBNullAsync(ResultColumns.ResponseLocation, ct) ? null : reader.GetFieldValue<string[]>(ResultColumns.ResponseLocation);
        }
        BufferedBody? body = null;
        if (readBody && !await reader.IsDBNullAsync(ResultColumns.Body, ct))
        {
            await using var stream = await reader.GetFieldValueAsync<Stream>(ResultColumns.Body, ct);
            body = await BufferedBody.CopyAsync(stream, ct);
        }
        return new ApiResult(total, pageTotal, planned, gucs, inserted, location, body);
    }

    // ValueTask: the columns are almost always in Npgsql's buffer already, and a synchronous completion then allocates nothing.
    private static async ValueTask<long?> Int64Async(NpgsqlDataReader reader, int ordinal, CancellationToken ct) =>
        await reader.IsDBNullAsync(ordinal, ct) ? null : reader.GetInt64(ordinal);

    private static async ValueTask<string?> TextAsync(NpgsqlDataReader reader, int ordinal, CancellationToken ct) =>
        await reader.IsDBNullAsync(ordinal, ct) ? null : reader.GetString(ordinal);

    /// <summary>The planner's row estimate from EXPLAIN (FORMAT JSON).</summary>
    private static long PlanRows(string explainJson)
    {
        using var doc = JsonDocument.Parse(explainJson);
        return (long)doc.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }
}
