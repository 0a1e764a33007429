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
        // The whole body goes to a single parameter as that parameter's type (json, jsonb, text, xml, bytea); named arguments come from JSON.
        w.Raw("pgrst_payload as (select ").Payload().Raw("::").Raw(fn.Style == ArgumentStyle.WholeBody ? fn.Routine.Params[0].Type : "json").Raw(" as j)");
        if (fn.Style != ArgumentStyle.Named || fn.Arguments.Count == 0) return;
        w.Raw(", pgrst_args as (select * from json_to_record((select j from pgrst_payload)) as _a(");
        w.Join(fn.Arguments, ", ", a => w.Ident(a.Name).Raw(" ").Raw(a.Type)); // types come from pg_catalog
        w.Raw("))");
    }

    public static void WriteCall(SqlWriter w, FunctionSource fn)
    {
        w.Raw(SqlText.Qualified(fn.Routine.Schema, fn.Routine.Name)).Raw("(");
        if (fn.Style == ArgumentStyle.WholeBody)
            w.Raw("(select j from pgrst_payload)");
        else
            w.Join(fn.Arguments, ", ", a =>
            {
                w.Ident(a.Name).Raw(" := ");
                if (a.Variadic) w.Raw("variadic ");
                w.Raw("(select ").Ident(a.Name).Raw(" from pgrst_args)");
            });
        w.Raw(")");
    }

    /// <summary>
    /// A function returning a scalar (or a set of them): the body is its JSON value; void functions return
    /// null. With <paramref name="exactCount"/> the total is the number of values (1 for a single value).
    /// </summary>
    public static ApiQuery Scalar(FunctionSource fn, bool exactCount)
    {
        var w = new SqlWriter();
        w.Raw("with ");
        WriteArgumentCtes(w, fn);
        if (fn.Routine.ReturnsSet)
        {
            w.Raw(" select ");
            ResultColumns.Write(w, exactCount ? t => t.Raw("count(*)") : null, t => t.Raw("count(*)"), fn.ResponseSettings, null, null,
                t => t.Raw("coalesce(json_agg(_v), '[]')::text"));
            w.Raw(" from ");
            WriteCall(w, fn);
            w.Raw(" as _v");
        }
        else
        {
            // Materialized: the call runs before the outer row reads the response settings it may set.
            w.Raw(", pgrst_call as materialized (select to_json(");
            WriteCall(w, fn);
            w.Raw(") as v) select ");
            ResultColumns.Write(w, exactCount ? t => t.Raw("1::bigint") : null, t => t.Raw("1::bigint"), fn.ResponseSettings, null, null, t => t.Raw("v::text"));
            w.Raw(" from pgrst_call");
        }
        return new ApiQuery(w.ToStatement(), ReadsResponseSettings: fn.ResponseSettings);
    }

    /// <summary>A function returning rows: the read over its result, with filters, select and embedding, its arguments first.</summary>
    public static ApiQuery Rows(ReadPlan plan, FunctionSource fn, MediaType media, CountPreference count, long? estimateAbove) =>
        ReadSql.Query(plan, media, count, estimateAbove, w => WriteArgumentCtes(w, fn));

    /// <summary>The statement application/vnd.pgrst.plan explains for a function returning rows.</summary>
    public static SqlStatement RowsStatement(ReadPlan plan, FunctionSource fn, MediaType media) =>
        ReadSql.Build(plan, media, exactCount: false, w => WriteArgumentCtes(w, fn));
}
