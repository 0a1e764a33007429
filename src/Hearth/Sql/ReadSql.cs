using Hearth.Plan;
using Hearth.Request;

namespace Hearth.Sql;

/// <summary>
/// The statement for a read: the rows in the <see cref="SourceCte"/> CTE, aggregated into one row of
/// <see cref="ResultColumns"/> — the exact count when asked for, the rows in this page, the response
/// settings (evaluated after the aggregate, so a function in the source may set them), and the body
/// rendered by PostgreSQL as JSON, a single JSON object or CSV.
/// </summary>
public static class ReadSql
{
    /// <summary>The CTE holding a statement's rows: a read's page, a function's result, or the rows a write changed.</summary>
    public const string SourceCte = "pgrst_source";

    /// <param name="countCap">Counting stops there (count=estimated with --db-max-rows).</param>
    public static SqlStatement Build(ReadPlan plan, MediaType media, bool exactCount, Action<SqlWriter>? leadingCtes = null, long? countCap = null)
    {
        var w = new SqlWriter();
        w.Raw("with ");
        if (leadingCtes is not null) { leadingCtes(w); w.Raw(", "); }
        w.Raw(SourceCte).Raw(" as (");
        SelectSql.Write(w, plan, joinToParent: null);
        w.Raw(") select ");
        ResultColumns.Write(w,
            total: exactCount ? t =>
            {
                t.Raw("select count(*) from (");
                SelectSql.Write(t, plan, joinToParent: null, paginate: false);
                if (countCap is { } cap) t.Raw(" limit ").RowCount(cap);
                t.Raw(") as _c");
            } : null,
            pageTotal: t => t.Raw("count(*)"),
            responseSettings: plan.ResponseSettings,
            inserted: null,
            location: null,
            body: t => t.Raw(BodyExpression(media, SourceCte)));
        w.Raw(" from (select * from ").Raw(SourceCte).Raw(") as _r");
        return w.ToStatement();
    }

    /// <summary>
    /// The response body as an aggregate over the rows _r of <paramref name="cte"/>: a JSON array, one JSON
    /// object, or CSV (a header from the first row's keys, then each row's text form without parentheses).
    /// </summary>
    public static string BodyExpression(MediaType media, string cte) => media switch
    {
        MediaType.SingleObject => "coalesce((json_agg(_r) -> 0)::text, '')",
        MediaType.SingleObjectStripped => "coalesce(json_strip_nulls(json_agg(_r) -> 0)::text, '')",
        MediaType.JsonStripped => "coalesce(json_agg(json_strip_nulls(to_json(_r))), '[]')::text",
        MediaType.Csv =>
            "(select coalesce(string_agg(a.k, ','), '') from (select json_object_keys(r)::text as k from " +
            $"(select row_to_json(hh) as r from {cte} as hh limit 1) as s) as a) || E'\\n' || " +
            "coalesce(string_agg(substring(_r::text, 2, length(_r::text) - 2), E'\\n'), '')",
        _ => "coalesce(json_agg(_r), '[]')::text",
    };

    /// <summary>
    /// A read's query: its statement, preceded by an EXPLAIN for Prefer: count=planned — and for
    /// count=estimated with --db-max-rows, where the exact count stops at max-rows + 1 and the estimate takes over beyond.
    /// </summary>
    /// <param name="estimateAbove">--db-max-rows when count=estimated, else null.</param>
    public static ApiQuery Query(ReadPlan plan, MediaType media, CountPreference count, long? estimateAbove, Action<SqlWriter>? leadingCtes = null)
    {
        var exact = count is CountPreference.Exact or CountPreference.Estimated;
        var cap = estimateAbove + 1;
        var main = Build(plan, media, exact, leadingCtes, cap);
        return new ApiQuery(main, count == CountPreference.Planned || cap is not null ? PlannedCount(plan, leadingCtes) : null, ReadsResponseSettings: plan.ResponseSettings);
    }

    /// <summary>EXPLAIN of the rows a read would count, for Prefer: count=planned.</summary>
    /// <param name="leadingCtes">What the read's own statement defines first (a function's arguments).</param>
    public static SqlStatement PlannedCount(ReadPlan plan, Action<SqlWriter>? leadingCtes = null)
    {
        var w = new SqlWriter();
        w.Raw("explain (format json) ");
        if (leadingCtes is not null) { w.Raw("with "); leadingCtes(w); w.Raw(" "); }
        SelectSql.Write(w, plan, joinToParent: null, paginate: false);
        return w.ToStatement();
    }

    /// <summary>EXPLAIN of a statement, for the application/vnd.pgrst.plan media type.</summary>
    public static ApiQuery Explain(SqlStatement statement, PlanSpec spec) => new(statement with
    {
        // Options come from a fixed list (MediaTypes.PlanSpecOf), never from raw input.
        Text = "explain (" + string.Concat(spec.Options.Select(o => o + ", ")) + "format " + (spec.Json ? "json" : "text") + ") " + statement.Text,
    }, IsExplain: true);
}
