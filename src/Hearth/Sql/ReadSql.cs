using Hearth.Plan;
using Hearth.Request;

namespace Hearth.Sql;

/// <summary>
/// The statement for a read. It returns one row: (total, page_total, response.headers, response.status,
/// body) — the exact count when asked for (else null), the number of rows in this page, the response
/// settings (evaluated after the aggregate, so a function in the source may set them), and the body
/// already rendered by PostgreSQL as JSON, a single JSON object or CSV.
/// </summary>
public static class ReadSql
{
    /// <param name="countCap">Counting stops there (count=estimated with --db-max-rows).</param>
    public static SqlStatement Build(ReadPlan plan, MediaType media, bool exactCount, Action<SqlWriter>? leadingCtes = null, long? countCap = null)
    {
        var w = new SqlWriter();
        w.Raw("with ");
        if (leadingCtes is not null) { leadingCtes(w); w.Raw(", "); }
        w.Raw("pgrst_source as (");
        SelectSql.Write(w, plan, joinToParent: null);
        w.Raw(") select ");
        if (exactCount)
        {
            w.Raw("(select count(*) from (");
            SelectSql.Write(w, plan, joinToParent: null, paginate: false);
            if (countCap is { } cap) w.Raw(" limit ").Param(cap);
            w.Raw(") as _c)");
        }
        else w.Raw("null::bigint");
        w.Raw(", count(*), ").Raw(ResponseGucsSql.Columns(plan.ResponseSettings)).Raw(", ").Raw(BodyExpression(media, "pgrst_source"));
        w.Raw(" from (select * from pgrst_source) as _r");
        return w.ToStatement();
    }

    /// <summary>
    /// The response body as an aggregate over the rows _r of <paramref name="cte"/>: a JSON array, one JSON
    /// object, or CSV (a header from the first row's keys, then each row's text form without parentheses).
    /// </summary>
    public static string BodyExpression(MediaType media, string cte) => media switch
    {
        MediaType.SingleObject => "coalesce((json_agg(_r) -> 0)::text, '')",
        MediaType.Csv =>
            "(select coalesce(string_agg(a.k, ','), '') from (select json_object_keys(r)::text as k from " +
            $"(select row_to_json(hh) as r from {cte} as hh limit 1) as s) as a) || E'\\n' || " +
            "coalesce(string_agg(substring(_r::text, 2, length(_r::text) - 2), E'\\n'), '')",
        _ => "coalesce(json_agg(_r), '[]')::text",
    };

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
    public static SqlStatement Explain(SqlStatement statement, PlanSpec spec) => statement with
    {
        // Options come from a fixed list (MediaTypes.PlanSpecOf), never from raw input.
        Text = "explain (" + string.Concat(spec.Options.Select(o => o + ", ")) + "format " + (spec.Json ? "json" : "text") + ") " + statement.Text,
    };
}
