using Hearth.Plan;
using Hearth.Request;

namespace Hearth.Sql;

/// <summary>
/// The SELECT of one plan level. Embedded resources are LEFT JOIN LATERAL subqueries that return the
/// child rows already as JSON (json_agg for to-many, row_to_json for to-one), as PostgREST does.
/// </summary>
public static class SelectSql
{
    /// <summary>Writes the level's query. <paramref name="joinToParent"/> adds the relationship condition for embedded levels.</summary>
    public static void Write(SqlWriter w, ReadPlan plan, Action<SqlWriter>? joinToParent, bool paginate = true) =>
        WriteLevel(w, plan, joinToParent, via: null, paginate);

    /// <param name="via">For an embedded level: its parent and the embed, which say where its rows come from.</param>
    private static void WriteLevel(SqlWriter w, ReadPlan plan, Action<SqlWriter>? joinToParent, (ReadPlan Parent, EmbedItem Embed)? via, bool paginate = true)
    {
        w.Raw("select ");
        w.Join(VisibleItems(plan), ", ", item => WriteItem(w, plan, item));
        w.Raw(" from ");
        if (via is { } v) WriteEmbedSource(w, v.Parent, v.Embed);
        else
        {
            WriteSource(w, plan);
            w.Raw(" as ").Ident(plan.Alias);
        }
        foreach (var embed in plan.Embeds) WriteLateral(w, plan, embed);

        var conditions = new List<Action>();
        if (joinToParent is not null) conditions.Add(() => joinToParent(w));
        foreach (var c in plan.Conditions) conditions.Add(() => ConditionSql.Write(w, plan, c));
        foreach (var e in plan.Embeds.Where(e => e.Inner && !e.ToOne)) conditions.Add(() => WriteEmbedPresence(w, plan, e));
        if (conditions.Count > 0)
        {
            w.Raw(" where ");
            w.Join(conditions, " and ", write => write());
        }
        if (plan.IsGrouped) WriteGroupBy(w, plan);
        if (!paginate) return;
        if (plan.Order.Count > 0)
        {
            w.Raw(" order by ");
            w.Join(plan.Order, ", ", o => WriteOrder(w, plan, o));
        }
        if (plan.Limit is { } limit) w.Raw(" limit ").RowCount(limit);
        if (plan.Offset is { } offset) w.Raw(" offset ").Param(offset); // a parameter: pages must not multiply statements
    }

    private static void WriteSource(SqlWriter w, ReadPlan plan)
    {
        switch (plan.Source)
        {
            case WrittenRowsSource: w.Raw(ReadSql.SourceCte); break;
            case FunctionSource fn: RoutineSql.WriteCall(w, fn); break;
            default: w.Raw(SqlText.Qualified(plan.Relation.Schema, plan.Relation.Name)); break;
        }
    }

    private static string LateralAlias(EmbedItem embed) => embed.Child.Alias + "_l";

    /// <summary>The items that produce output: an embed with an empty select, rel(), only filters.</summary>
    private static IEnumerable<PlannedItem> VisibleItems(ReadPlan plan) =>
        plan.Items.Where(i => i is not EmbedItem { Spread: false, Child.Items.Count: 0 });

    private static void WriteItem(SqlWriter w, ReadPlan plan, PlannedItem item)
    {
        switch (item)
        {
            case StarItem when plan.Source is null:
                w.Ident(plan.Alias).Raw(".*");
                break;
            case StarItem:
                // A CTE may carry bookkeeping columns (pgrst_inserted): list the relation's own.
                w.Join(plan.Relation.Columns, ", ", c => w.Column(plan.Alias, c.Name));
                break;
            case ColumnItem c:
                if (c.Aggregate is { } agg)
                {
                    w.Raw(agg.ToString().ToLowerInvariant()).Raw("(");
                    if (c.Expr is null) w.Raw("*");
                    else WriteCastExpr(w, plan, c.Expr, c.Cast);
                    w.Raw(")");
                    if (c.AggregateCast is { } aggCast) w.Raw("::").Type(aggCast);
                }
                else WriteCastExpr(w, plan, c.Expr!, c.Cast);
                w.Raw(" as ").Ident(c.OutputName);
                break;
            case EmbedItem e when e.Spread:
                w.Ident(LateralAlias(e)).Raw(".*");
                break;
            case EmbedItem e when e.ToOne && plan.IsGrouped:
                // json has no equality operator: grouped levels group by its text and turn it back into json.
                w.Raw("(").Ident(LateralAlias(e)).Raw(".").Ident("v").Raw("::text)::json as ").Ident(e.OutputName);
                break;
            case EmbedItem e when e.ToOne:
                w.Ident(LateralAlias(e)).Raw(".").Ident("v").Raw(" as ").Ident(e.OutputName);
                break;
            case EmbedItem e:
                w.Raw("coalesce(").Ident(LateralAlias(e)).Raw(".").Ident("v").Raw(", '[]') as ").Ident(e.OutputName);
                break;
        }
    }

    private static void WriteCastExpr(SqlWriter w, ReadPlan plan, ColumnExpr expr, Schema.DbType? cast)
    {
        if (cast is null) { ConditionSql.WriteExpr(w, plan, expr); return; }
        w.Raw("(");
        ConditionSql.WriteExpr(w, plan, expr);
        w.Raw(")::").Type(cast);
    }

    private static void WriteLateral(SqlWriter w, ReadPlan parent, EmbedItem embed)
    {
        var child = embed.Child;
        // A to-one !inner embed drops parents without a match right in the join.
        w.Raw(embed.Inner && embed.ToOne ? " inner join lateral (" : " left join lateral (");
        void Body() => WriteLevel(w, child, embed.Relationship.Function is null ? sql => WriteJoinCondition(sql, parent, embed) : null, (parent, embed));
        if (embed.Spread && embed.ToOne)
        {
            Body();
        }
        else if (embed.Spread)
        {
            // A to-many spread turns each child column into an array of its values.
            w.Raw("select ");
            w.Join(SpreadColumns(child), ", ", name => w.Raw("json_agg(").Ident("_e").Raw(".").Ident(name).Raw(") as ").Ident(name));
            w.Raw(" from (");
            Body();
            w.Raw(") as ").Ident("_e");
        }
        else
        {
            w.Raw(embed.ToOne ? "select row_to_json(" : "select json_agg(").Ident("_e").Raw(") as ").Ident("v").Raw(" from (");
            Body();
            w.Raw(") as ").Ident("_e");
        }
        w.Raw(") as ").Ident(LateralAlias(embed)).Raw(" on true");
    }

    private static IEnumerable<string> SpreadColumns(ReadPlan child) => child.Items.SelectMany(item => item switch
    {
        StarItem => child.Relation.Columns.Select(c => c.Name),
        ColumnItem c => [c.OutputName],
        EmbedItem e when !e.Spread => [e.OutputName],
        _ => [],
    });

    /// <summary>
    /// "relation as alias" for an embed's rows; for a computed relationship, its function called on the parent's row.
    /// </summary>
    private static void WriteEmbedSource(SqlWriter w, ReadPlan parent, EmbedItem embed)
    {
        if (embed.Relationship.Function is { } fn)
        {
            w.Raw(SqlText.Qualified(fn.Schema, fn.Name)).Raw("(");
            ConditionSql.WriteRow(w, parent);
            w.Raw(")");
        }
        else
            w.Raw(SqlText.Qualified(embed.Child.Relation.Schema, embed.Child.Relation.Name));
        w.Raw(" as ").Ident(embed.Child.Alias);
    }

    private static void WriteJoinCondition(SqlWriter w, ReadPlan parent, EmbedItem embed)
    {
        var r = embed.Relationship;
        if (r.Function is not null) { w.Raw("true"); return; } // the function's argument is the join
        var child = embed.Child.Alias;
        if (r.Junction is { } j)
        {
            // exists (select 1 from junction where junction.child_fk = child.key and junction.parent_fk = parent.key)
            var jAlias = child + "_j";
            w.Raw("exists (select 1 from ").Raw(SqlText.Qualified(j.Table.Schema, j.Table.Name)).Raw(" as ").Ident(jAlias).Raw(" where ");
            w.Join(j.ChildPairs, " and ", p => w.Column(jAlias, p.Junction).Raw(" = ").Column(child, p.Child));
            w.Raw(" and ");
            w.Join(j.ParentPairs, " and ", p => w.Column(jAlias, p.Junction).Raw(" = ").Column(parent.Alias, p.Parent));
            w.Raw(")");
            return;
        }
        w.Join(r.ColumnPairs, " and ", p => w.Column(child, p.Child).Raw(" = ").Column(parent.Alias, p.Parent));
    }

    /// <summary>Whether an embed produced a value for the current parent row (for !inner and rel=not.is.null).</summary>
    public static void WriteEmbedPresence(SqlWriter w, ReadPlan parent, EmbedItem embed)
    {
        if (embed.Spread || embed.ToOne)
        {
            // Evaluate the relationship directly: a to-one lateral row may exist with null values.
            w.Raw("exists (select 1 from ");
            WriteEmbedSource(w, parent, embed);
            w.Raw(" where ");
            WriteJoinCondition(w, parent, embed);
            foreach (var c in embed.Child.Conditions) { w.Raw(" and "); ConditionSql.Write(w, embed.Child, c); }
            w.Raw(")");
            return;
        }
        w.Ident(LateralAlias(embed)).Raw(".").Ident("v").Raw(" is not null");
    }

    public static void WriteOrder(SqlWriter w, ReadPlan plan, OrderItem o)
    {
        if (o.Related is { Spread: true } spread && o.Expr.Path.Count == 0 &&
            SpreadColumns(spread.Child).Contains(o.Expr.Column.Name))
        {
            // A spread's columns are columns of this level already (and stay valid when it is grouped).
            w.Ident(LateralAlias(spread)).Raw(".").Ident(o.Expr.Column.Name);
        }
        else if (o.Related is { } embed)
        {
            // Ordering by a to-one embed's column: a scalar subquery along the relationship.
            w.Raw("(select ");
            ConditionSql.WriteExpr(w, embed.Child, o.Expr);
            w.Raw(" from ");
            WriteEmbedSource(w, plan, embed);
            w.Raw(" where ");
            WriteJoinCondition(w, plan, embed);
            w.Raw(")");
        }
        else ConditionSql.WriteExpr(w, plan, o.Expr);
        if (o.Descending is { } desc) w.Raw(desc ? " desc" : " asc");
        if (o.NullsFirst is { } nf) w.Raw(nf ? " nulls first" : " nulls last");
    }

    private static void WriteGroupBy(SqlWriter w, ReadPlan plan)
    {
        var terms = new List<Action>();
        var position = 0;
        foreach (var item in VisibleItems(plan))
        {
            var width = item switch
            {
                StarItem => plan.Relation.Columns.Count,
                EmbedItem { Spread: true } e => SpreadColumns(e.Child).Count(),
                _ => 1,
            };
            if (item is EmbedItem { Spread: false, ToOne: true } toOne)
                terms.Add(() => w.Ident(LateralAlias(toOne)).Raw(".").Ident("v").Raw("::text"));
            else if (item is not ColumnItem { Aggregate: not null })
                foreach (var p in Enumerable.Range(position + 1, width)) terms.Add(() => w.Raw(p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            position += width;
        }
        if (terms.Count == 0) return;
        w.Raw(" group by ");
        w.Join(terms, ", ", t => t());
    }
}
