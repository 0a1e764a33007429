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
                w.Raw(" = any(").UntypedParam(list.ArrayLiteral).Raw(")");
                return;
            case ParamValue { Index: var index } when f.Operator == FilterOperator.In:
                w.Raw(" = any(").RequestValue(index).Raw(")");
                return;
            case SingleValue single:
                WriteOperator(w, f, v => v.UntypedParam(f.SqlOperand(single)), f.Language is { } l ? v => v.UntypedParam(l) : null);
                return;
            case ParamValue p:
                WriteOperator(w, f, v => v.RequestValue(p.Index), p.LanguageIndex is { } li ? v => v.RequestValue(li) : null);
                return;
        }
    }

    /// <param name="operand">Writes the operand's parameter.</param>
    /// <param name="language">Writes the fts language's parameter, when there is one.</param>
    private static void WriteOperator(SqlWriter w, Filter f, Action<SqlWriter> operand, Action<SqlWriter>? language)
    {
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
                if (language is not null) { language(w); w.Raw("::regconfig, "); }
                operand(w);
                w.Raw(")");
                return;
            case FilterOperator.IsDistinct:
                w.Raw(" is distinct from ");
                operand(w);
                return;
        }
        w.Raw(" ").Raw(SymbolOf(f.Operator)).Raw(" ");
        if (f.Quantifier is { } q) { w.Raw(q == Quantifier.Any ? "any(" : "all("); operand(w); w.Raw(")"); }
        else operand(w);
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
}
