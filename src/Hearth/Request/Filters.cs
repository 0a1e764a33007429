namespace Hearth.Request;

public enum FilterOperator
{
    Eq, Neq, Gt, Gte, Lt, Lte,
    Like, ILike, Match, IMatch,
    In, Is, IsDistinct,
    Fts, PlFts, PhFts, WFts,
    Cs, Cd, Ov, Sl, Sr, Nxr, Nxl, Adj,
}

/// <summary><c>eq(any)</c> / <c>like(all)</c>: compare against ANY/ALL of an array literal value.</summary>
public enum Quantifier { Any, All }

/// <summary>The right-hand side of <c>is.</c>.</summary>
public enum IsKeyword { Null, NotNull, True, False, Unknown }

/// <summary>
/// An operator expression: the part after <c>col=</c>, e.g. <c>not.fts(english).cat</c>.
/// <see cref="Quantifier"/> is only set for eq/gt/gte/lt/lte/like/ilike/match/imatch,
/// <see cref="Language"/> only for the fts family.
/// </summary>
public sealed record Filter(
    bool Negated,
    FilterOperator Operator,
    Quantifier? Quantifier,
    string? Language,
    FilterValue Value)
{
    /// <summary>The operators whose <c>*</c> means <c>%</c>.</summary>
    public bool IsLikeOperator => Operator is FilterOperator.Like or FilterOperator.ILike;

    /// <summary>A scalar operand as SQL receives it: the like pattern for like/ilike, else the text as written.</summary>
    public string SqlOperand(SingleValue value) => IsLikeOperator ? value.LikePattern : value.Text;
}

/// <summary>
/// Operand of a filter. Values are kept exactly as written (after URL decoding): e.g. <c>cs.{1,2}</c> keeps
/// <c>{1,2}</c> and <c>like.*a*</c> keeps <c>*a*</c>. PostgREST turns <c>*</c> into <c>%</c> only when it
/// renders like/ilike SQL: <see cref="Filter.SqlOperand"/> and <see cref="ListValue.ArrayLiteral"/> are the one
/// place operands are formatted for SQL (used by <see cref="ValueExtraction"/>).
/// </summary>
public abstract record FilterValue;

/// <summary>A scalar operand (everything except <c>in</c> and <c>is</c>).</summary>
public sealed record SingleValue(string Text) : FilterValue
{
    /// <summary>The text with every <c>*</c> replaced by <c>%</c>, as PostgREST does for like/ilike.</summary>
    public string LikePattern => Text.Replace('*', '%');
}

/// <summary>The items of <c>in.(a,"b,c")</c>, unquoted. PostgREST reads <c>in.()</c> as one empty item.</summary>
public sealed record ListValue(IReadOnlyList<string> Items) : FilterValue
{
    /// <summary><c>in.()</c>: PostgREST renders it as <c>= ANY('{}')</c>, which matches nothing.</summary>
    public bool IsEmptyList => Items.Count == 1 && Items[0].Length == 0;

    /// <summary>The items as a PostgreSQL array literal, each element double-quoted (<c>'{}'</c> for <c>in.()</c>).</summary>
    public string ArrayLiteral
    {
        get
        {
            if (IsEmptyList) return "{}";
            var sb = new System.Text.StringBuilder("{");
            for (var i = 0; i < Items.Count; i++)
                sb.Append(i > 0 ? ",\"" : "\"").Append(Items[i].Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
            return sb.Append('}').ToString();
        }
    }
}

/// <summary>
/// An operand taken out of the query by <see cref="ValueExtraction"/>: <paramref name="Index"/> is its
/// position in the request's values, already formatted for SQL; <paramref name="LanguageIndex"/> that of
/// an fts operator's language. Plans and SQL built from such a query do not depend on the values.
/// </summary>
public sealed record ParamValue(int Index, int? LanguageIndex = null) : FilterValue
{
    private static readonly ParamValue[] Shared = Enumerable.Range(0, 16).Select(i => new ParamValue(i)).ToArray();

    /// <summary>The operand at <paramref name="index"/> (no language): one shared instance each for the first few, as they recur on every request.</summary>
    public static ParamValue At(int index) => index < Shared.Length ? Shared[index] : new ParamValue(index);
}

public sealed record IsValue(IsKeyword Keyword) : FilterValue;

/// <summary>A node of an <c>or=</c>/<c>and=</c> tree.</summary>
public abstract record LogicNode;

/// <summary><c>[not.]or(...)</c> / <c>[not.]and(...)</c>; always has at least one child.</summary>
public sealed record LogicTree(bool IsOr, bool Negated, IReadOnlyList<LogicNode> Children) : LogicNode;

/// <summary>A single <c>col.op.value</c> inside a logic tree.</summary>
public sealed record FilterLeaf(Field Field, Filter Filter) : LogicNode;
