using Hearth.Plan;
using Hearth.Request;

namespace Hearth.Sql;

/// <summary>
/// Function calls for /rpc: arguments arrive as one json parameter (the statement's payload, bound per
/// request) and are typed by json_to_record.
/// </summary>
public static class RoutineSql
{
    /// <summary>pgrst_payload and (for named arguments) pgrst_args, as the leading CTEs of the statement.</summary>
    public static void WriteArgumentCtes(SqlWriter w, FunctionSource fn)
    {
        w.Raw("pgrst_payload as (select ").Payload().Raw("::json as j)");
        if (fn.Style != ArgumentStyle.Named || fn.Arguments.Count == 0) return;
        w.Raw(", pgrst_args as (select * from json_to_record((select j from pgrst_payload)) as _a(");
        w.Join(fn.Arguments, ", ", a => w.Ident(a.Name).Raw(" ").Raw(a.Type)); // types come from pg_catalog
        w.Raw("))");
    }

    public static void WriteCall(SqlWriter w, FunctionSource fn)
    {
        w.Raw(SqlText.Qualified(fn.Routine.Schema, fn.Routine.Name)).Raw("(");
        if (fn.Style == ArgumentStyle.WholeBody)
            w.Raw("(select j from pgrst_payload)::").Raw(fn.Routine.Params[0].Type);
        else
            w.Join(fn.Arguments, ", ", a =>
            {
                w.Ident(a.Name).Raw(" := ");
                if (a.Variadic) w.Raw("variadic ");
                w.Raw("(select ").Ident(a.Name).Raw(" from pgrst_args)");
            });
        w.Raw(")");
    }

    /// <summary>A function returning a scalar (or a set of them): the body is its JSON value.</summary>
    public static SqlStatement BuildScalar(FunctionSource fn)
    {
        var w = new SqlWriter();
        w.Raw("with ");
        WriteArgumentCtes(w, fn);
        if (fn.Routine.ReturnsSet)
        {
            w.Raw(" select null::bigint, count(*), ").Raw(ResponseGucsSql.Columns(fn.ResponseSettings)).Raw(", coalesce(json_agg(_v), '[]')::text from ");
            WriteCall(w, fn);
            w.Raw(" as _v");
        }
        else
        {
            // Materialized: the call runs before the outer row reads the response settings it may set.
            w.Raw(", pgrst_call as materialized (select to_json(");
            WriteCall(w, fn);
            w.Raw(") as v) select null::bigint, 1::bigint, ").Raw(ResponseGucsSql.Columns(fn.ResponseSettings)).Raw(", v::text from pgrst_call");
        }
        return w.ToStatement();
    }

    /// <summary>A function returning rows: the read statement over its result, with filters, select and embedding.</summary>
    public static SqlStatement BuildRows(ReadPlan plan, FunctionSource fn, MediaType media, bool exactCount, long? countCap = null) =>
        ReadSql.Build(plan, media, exactCount, w => WriteArgumentCtes(w, fn), countCap);

    /// <summary>EXPLAIN of the rows a function's read would count (Prefer: count=planned), its arguments included.</summary>
    public static SqlStatement PlannedCount(ReadPlan plan, FunctionSource fn) =>
        ReadSql.PlannedCount(plan, w => WriteArgumentCtes(w, fn));
}
