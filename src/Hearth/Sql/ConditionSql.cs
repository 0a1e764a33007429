using System.Text;
using Hearth.Plan;
using Hearth.Request;

namespace Hearth.Sql;

/// <summary>WHERE conditions: PostgREST's operators, with every operand a parameter.</summary>
public static class ConditionSql
{
    public static void Write(SqlWriter w, ReadPlan level, Condition condition)
    {
        switch (condition)
        {
            case CompareCondition c:
                if (c.Filter.Negated) w.Raw("not (");
                WriteCompare(w, level, c);
                if (c.Filter.Negated) w.Raw(")");
                break;
            case LogicCondition l:
                w.Raw(l.Negated ? "not (" : "(");
                w.Join(l.Children, l.IsOr ? " or " : " and ", child => Write(w, level, child));
                w.Raw(")");
                break;
            case EmbedPresentCondition p:
                w.Raw(p.Present ? "(" : "not (");
                SelectSql.WriteEmbedPresence(w, level, p.Embed);
                w.Raw(")");
                break;
        }
    }

    public static void WriteExpr(SqlWriter w, string alias, ColumnExpr expr)
    {
        w.Column(alias, expr.Column.Name);
        foreach (var step in expr.Path)
        {
            w.Raw(step.AsText ? "->>" : "->");
            if (step.IsIndex && int.TryParse(step.Key, out var index)) w.Param(index);
            else w.Param(step.Key);
        }
    }

    private static void WriteCompare(SqlWriter w, ReadPlan level, CompareCondition c)
    {
        var f = c.Filter;
        WriteExpr(w, level.Alias, c.Left);
        switch (f.Value)
        {
            case IsValue isValue:
                w.Raw(isValue.Keyword switch
                {
                    IsKeyword.Null => " is null",
                    IsKeyword.NotNull => " is not null",
                    IsKeyword.True => " is true",
                    IsKeyword.False => " is false",
                    _ => " is unknown",
                });
                return;
            case ListValue list:
                w.Raw(" = any(");
                if (list.Items.Count == 1 && Request.RequestShape.TryParseToken(list.Items[0], out _)) w.UntypedValue(list.Items[0], SlotFormat.Array);
                else w.UntypedParam(list.IsEmptyList ? "{}" : ArrayLiteral(list.Items));
                w.Raw(")");
                return;
            case SingleValue single:
                WriteOperator(w, f, single);
                return;
        }
    }

    private static void WriteOperator(SqlWriter w, Filter f, SingleValue value)
    {
        var text = value.Text;
        var format = f.IsLikeOperator ? SlotFormat.Like : SlotFormat.Text;
        switch (f.Operator)
        {
            case FilterOperator.Fts or FilterOperator.PlFts or FilterOperator.PhFts or FilterOperator.WFts:
                w.Raw(" @@ ").Raw(f.Operator switch
                {
                    FilterOperator.PlFts => "plainto_tsquery(",
                    FilterOperator.PhFts => "phraseto_tsquery(",
                    FilterOperator.WFts => "websearch_to_tsquery(",
                    _ => "to_tsquery(",
                });
                if (f.Language is { } language) w.UntypedParam(language).Raw("::regconfig, ");
                w.UntypedValue(text, format).Raw(")");
                return;
            case FilterOperator.IsDistinct:
                w.Raw(" is distinct from ").UntypedValue(text, format);
                return;
        }
        w.Raw(" ").Raw(SymbolOf(f.Operator)).Raw(" ");
        if (f.Quantifier is { } q) w.Raw(q == Quantifier.Any ? "any(" : "all(").UntypedValue(text, format).Raw(")");
        else w.UntypedValue(text, format);
    }

    private static string SymbolOf(FilterOperator op) => op switch
    {
        FilterOperator.Eq => "=",
        FilterOperator.Neq => "<>",
        FilterOperator.Gt => ">",
        FilterOperator.Gte => ">=",
        FilterOperator.Lt => "<",
        FilterOperator.Lte => "<=",
        FilterOperator.Like => "like",
        FilterOperator.ILike => "ilike",
        FilterOperator.Match => "~",
        FilterOperator.IMatch => "~*",
        FilterOperator.Cs => "@>",
        FilterOperator.Cd => "<@",
        FilterOperator.Ov => "&&",
        FilterOperator.Sl => "<<",
        FilterOperator.Sr => ">>",
        FilterOperator.Nxr => "&<",
        FilterOperator.Nxl => "&>",
        FilterOperator.Adj => "-|-",
        _ => throw new InvalidOperationException($"operator {op} has no symbol"),
    };

    /// <summary>A PostgreSQL array literal, each element double-quoted, for in.(…).</summary>
    public static string ArrayLiteral(IEnumerable<string> items)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append('"').Append(item.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }
        return sb.Append('}').ToString();
    }
}
