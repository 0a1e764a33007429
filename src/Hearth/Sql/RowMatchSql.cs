using Hearth.Plan;

namespace Hearth.Sql;

/// <summary>
/// Whether one row, given as JSON (a change stream's deleted row), passes a read's filters: the row is rebuilt
/// with the table's row type (jsonb_populate_record) and the plan's own WHERE runs on it, so every PostgREST
/// operator means what it means in a GET. page_total is 1 when it passes, 0 when not.
/// </summary>
public static class RowMatchSql
{
    /// <summary>Whether <see cref="Build"/> can decide for <paramref name="plan"/>: its filters name only columns of <paramref name="present"/> (no computed fields, no embeds).</summary>
    public static bool CanDecide(ReadPlan plan, IReadOnlySet<string> present) => plan.Conditions.All(c => Decidable(c, present));

    private static bool Decidable(Condition c, IReadOnlySet<string> present) => c switch
    {
        CompareCondition compare => compare.Left.Column.ComputedBy is null && present.Contains(compare.Left.Column.Name),
        LogicCondition logic => logic.Children.All(child => Decidable(child, present)),
        _ => false,
    };

    public static SqlStatement Build(ReadPlan plan, string rowJson)
    {
        var level = plan with { Items = [new StarItem()], Order = [], Limit = null, Offset = null, Source = WrittenRowsSource.Instance, ResponseSettings = false };
        var w = new SqlWriter();
        w.Raw("with ").Raw(ReadSql.SourceCte).Raw(" as (select * from jsonb_populate_record(null::")
         .Raw(SqlText.Qualified(plan.Relation.Schema, plan.Relation.Name)).Raw(", ").Param(rowJson).Raw("::jsonb)) select ");
        ResultColumns.Write(w,
            total: null,
            pageTotal: t =>
            {
                t.Raw("select count(*) from (");
                SelectSql.Write(t, level, joinToParent: null, paginate: false);
                t.Raw(") as _m");
            },
            responseSettings: false,
            inserted: null,
            location: null,
            body: t => t.Raw("null::text"));
        return w.ToStatement();
    }
}
