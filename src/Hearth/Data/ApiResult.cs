namespace Hearth.Data;

/// <summary>
/// The main statement's row (Sql.ResultColumns), decoded once by <see cref="ResultDecoder"/>: everything the
/// Response stage needs, with no reader. The body stays a buffer (memory or an unlinked temporary file).
/// </summary>
/// <param name="Total">The exact count (total_result_set) when the statement counted, else null.</param>
/// <param name="PageTotal">Rows in the response; rows changed, for a write.</param>
/// <param name="PlannedTotal">The planner's estimate from the EXPLAIN before the statement (count=planned/estimated).</param>
/// <param name="Inserted">Rows an upsert inserted rather than updated.</param>
/// <param name="LocationKey">The primary key of the row an insert created, for Location.</param>
/// <param name="Body">The body as PostgreSQL rendered it; null when not asked for (HEAD) or not produced.</param>
public sealed record ApiResult(long? Total, long PageTotal, long? PlannedTotal, ResponseGucs Gucs, long? Inserted,
    IReadOnlyList<string>? LocationKey, BufferedBody? Body) : IAsyncDisposable
{
    /// <summary>application/vnd.pgrst.plan: the EXPLAIN output as the body.</summary>
    public static ApiResult Explain(string text) => new(null, 0, null, ResponseGucs.None, null, null, BufferedBody.FromText(text));

    public ValueTask DisposeAsync() => Body?.DisposeAsync() ?? ValueTask.CompletedTask;
}
