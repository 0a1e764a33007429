using Hearth.Plan;
using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Sql;

/// <summary>
/// The statement for a write. The body is one json parameter; the change runs in the pgrst_source CTE
/// (executed exactly once) and the outer select reads its RETURNING rows back into one row of
/// <see cref="ResultColumns"/> (page_total = rows changed).
/// </summary>
public static class MutateSql
{
    /// <summary>The body is the statement's payload parameter, bound per request (<see cref="SqlStatement.Bind"/>).</summary>
    public static SqlStatement Build(MutatePlan plan, MediaType media, bool wantBody, bool wantLocation = false)
    {
        var w = new SqlWriter();
        w.Raw("with pgrst_payload as (select ").Payload().Raw("::json as j)");
        if (UsesTargetCte(plan))
            WriteTargetCte(w, plan);
        w.Raw(", ").Raw(ReadSql.SourceCte).Raw(" as (");
        switch (plan.Kind)
        {
            case MutationKind.Insert or MutationKind.Put: WriteInsert(w, plan); break;
            case MutationKind.Update: WriteUpdate(w, plan); break;
            default: WriteDelete(w, plan); break;
        }
        var pk = plan.Relation.PrimaryKey;
        var wantKey = wantLocation && plan.Kind == MutationKind.Insert && pk.Count > 0;
        if (!IsNoOpUpdate(plan))
        {
            // Only what the response needs: RETURNING a column needs SELECT on it, so an insert-only
            // grant (anon may add feedback but not read it) works with return=minimal, as in PostgREST.
            w.Raw(" returning ");
            if (wantBody) w.Ident(plan.Alias).Raw(".*");
            else if (wantKey) w.Join(pk, ", ", k => w.Column(plan.Alias, k));
            else w.Raw("1 as pgrst_one");
            if (plan.IsUpsert) w.Raw(", (xmax = 0) as pgrst_inserted");
        }
        w.Raw(")");
        if (wantBody)
        {
            // The representation (select=, embedding) read back from the changed rows.
            w.Raw(", pgrst_repr as (");
            SelectSql.Write(w, plan.Returning, joinToParent: null);
            w.Raw(")");
        }
        w.Raw(" select ");
        ResultColumns.Write(w,
            total: null,
            pageTotal: t => t.Raw("select count(*) from ").Raw(ReadSql.SourceCte),
            responseSettings: plan.Returning.ResponseSettings,
            inserted: plan.IsUpsert && !IsNoOpUpdate(plan) ? t => t.Raw("select count(*) from ").Raw(ReadSql.SourceCte).Raw(" where pgrst_inserted") : null,
            location: wantKey ? t =>
            {
                t.Raw("select array[");
                t.Join(pk, ", ", k => t.Ident(k).Raw("::text"));
                t.Raw("] from ").Raw(ReadSql.SourceCte).Raw(" limit 1");
            } : null,
            body: wantBody ? t => t.Raw("select ").Raw(ReadSql.BodyExpression(media, "pgrst_repr")).Raw(" from (select * from pgrst_repr) as _r") : t => t.Raw("null::text"));
        return w.ToStatement();
    }

    private static string Table(MutatePlan plan) => SqlText.Qualified(plan.Relation.Schema, plan.Relation.Name);

    private static bool IsNoOpUpdate(MutatePlan plan) => plan.Kind == MutationKind.Update && plan.Columns.Count == 0;

    private static void WriteInsert(SqlWriter w, MutatePlan plan)
    {
        w.Raw("insert into ").Raw(Table(plan)).Raw(" as ").Ident(plan.Alias);
        // No keys at all ({} or [{}, {}]): no column list and an empty select, so every column takes its default.
        if (plan.Columns.Count > 0)
        {
            w.Raw(" (");
            w.Join(plan.Columns, ", ", c => w.Ident(c.Name));
            w.Raw(")");
        }
        w.Raw(" select ");
        w.Join(plan.Columns, ", ", c =>
        {
            if (plan.MissingDefault)
            {
                // Prefer: missing=default — a key absent from an object takes the column default, row by row.
                w.Raw("case when _j.val::jsonb ? ").Param(c.Name).Raw(" then _r.").Ident(c.Name).Raw(" else ");
                if (c.DefaultSql is null) w.Raw("null");
                else w.Raw("_j.").Ident("pgrst_default_" + c.Name);
                w.Raw(" end");
            }
            else w.Raw("_r.").Ident(c.Name);
        });
        var rows = "case json_typeof(pgrst_payload.j) when 'array' then pgrst_payload.j else json_build_array(pgrst_payload.j) end";
        if (plan.MissingDefault)
        {
            // Per object, to know which keys it has. As PostgREST, every written column's default is
            // evaluated once for every object, in array order, whether or not the object has the key —
            // so sequences advance exactly as they do there.
            w.Raw(" from (select _e.val, _e.ord");
            foreach (var c in plan.Columns.Where(c => c.DefaultSql is not null))
                w.Raw(", ").Raw(c.DefaultSql!).Raw(" as ").Ident("pgrst_default_" + c.Name);
            w.Raw(" from pgrst_payload, json_array_elements(").Raw(rows).Raw(") with ordinality as _e(val, ord) order by _e.ord) as _j, json_populate_record(null::")
             .Raw(Table(plan)).Raw(", _j.val) as _r order by _j.ord");
        }
        else
            // One set-returning call over the whole array, rows in array order.
            w.Raw(" from pgrst_payload, json_populate_recordset(null::").Raw(Table(plan)).Raw(", ").Raw(rows).Raw(") as _r");
        if (plan.ConflictColumns is { } conflict)
        {
            w.Raw(" on conflict (");
            w.Join(conflict, ", ", c => w.Ident(c.Name));
            var updates = plan.Columns.Where(c => !conflict.Contains(c)).ToList();
            // A body naming only the conflict columns still "updates" them, so the existing row is returned (PostgREST).
            if (plan.Resolution == ResolutionPreference.IgnoreDuplicates)
                w.Raw(") do nothing");
            else
            {
                w.Raw(") do update set ");
                w.Join(updates.Count > 0 ? updates : [.. conflict], ", ", c => w.Ident(c.Name).Raw(" = excluded.").Ident(c.Name));
            }
        }
    }

    private static void WriteUpdate(SqlWriter w, MutatePlan plan)
    {
        if (plan.Columns.Count == 0)
        {
            // An empty object changes nothing; PostgREST answers as if no row matched.
            w.Raw("select ").Ident(plan.Alias).Raw(".* from ").Raw(Table(plan)).Raw(" as ").Ident(plan.Alias).Raw(" where false");
            return;
        }
        w.Raw("update ").Raw(Table(plan)).Raw(" as ").Ident(plan.Alias).Raw(" set ");
        w.Join(plan.Columns, ", ", c => w.Ident(c.Name).Raw(" = _r.").Ident(c.Name));
        w.Raw(" from (select * from json_populate_record(null::").Raw(Table(plan)).Raw(", (select j from pgrst_payload))) as _r");
        WriteWhere(w, plan);
    }

    private static void WriteDelete(SqlWriter w, MutatePlan plan)
    {
        w.Raw("delete from ").Raw(Table(plan)).Raw(" as ").Ident(plan.Alias);
        WriteWhere(w, plan);
    }

    private static bool UsesTargetCte(MutatePlan plan) => plan.Limit is not null || plan.Offset is not null;

    /// <summary>PATCH/DELETE with order/limit: pick the rows first, by ctid.</summary>
    private static void WriteTargetCte(SqlWriter w, MutatePlan plan)
    {
        var pick = new ReadPlan(plan.Relation, plan.Alias, [], plan.Conditions, plan.Order, plan.Limit, plan.Offset);
        w.Raw(", pgrst_target as (select ").Ident(plan.Alias).Raw(".ctid from ").Raw(Table(plan)).Raw(" as ").Ident(plan.Alias);
        if (plan.Conditions.Count > 0)
        {
            w.Raw(" where ");
            w.Join(plan.Conditions, " and ", c => ConditionSql.Write(w, pick, c));
        }
        if (plan.Order.Count > 0)
        {
            w.Raw(" order by ");
            w.Join(plan.Order, ", ", o => SelectSql.WriteOrder(w, pick, o));
        }
        if (plan.Limit is { } limit) w.Raw(" limit ").RowCount(limit);
        if (plan.Offset is { } offset) w.Raw(" offset ").Param(offset); // a parameter: pages must not multiply statements
        w.Raw(")");
    }

    private static void WriteWhere(SqlWriter w, MutatePlan plan)
    {
        if (UsesTargetCte(plan))
        {
            w.Raw(" where ").Ident(plan.Alias).Raw(".ctid in (select ctid from pgrst_target)");
            return;
        }
        if (plan.Conditions.Count == 0) return;
        var level = new ReadPlan(plan.Relation, plan.Alias, [], plan.Conditions, [], null, null);
        w.Raw(" where ");
        w.Join(plan.Conditions, " and ", c => ConditionSql.Write(w, level, c));
    }
}
