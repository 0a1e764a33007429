using System.Collections.Frozen;

namespace Hearth.Request;

/// <summary>
/// Operator expressions, the value side of a filter: <c>[not.]op[(any|all)|(lang)].value</c>,
/// <c>in.(a,"b,c")</c>, <c>is.null</c>. Used for <c>col=...</c> and for the leaves of logic trees.
/// </summary>
internal static class FilterParser
{
    public const string OperatorLabel = "operator (eq, gt, ...)";
    private const string DelimiterLabel = "delimiter (.)";
    private const string IsValueLabel = "isVal: (null, not_null, true, false, unknown)";

    private static readonly FrozenDictionary<string, FilterOperator> Operators = new Dictionary<string, FilterOperator>
    {
        ["eq"] = FilterOperator.Eq, ["neq"] = FilterOperator.Neq,
        ["gt"] = FilterOperator.Gt, ["gte"] = FilterOperator.Gte,
        ["lt"] = FilterOperator.Lt, ["lte"] = FilterOperator.Lte,
        ["like"] = FilterOperator.Like, ["ilike"] = FilterOperator.ILike,
        ["match"] = FilterOperator.Match, ["imatch"] = FilterOperator.IMatch,
        ["in"] = FilterOperator.In, ["is"] = FilterOperator.Is, ["isdistinct"] = FilterOperator.IsDistinct,
        ["fts"] = FilterOperator.Fts, ["plfts"] = FilterOperator.PlFts,
        ["phfts"] = FilterOperator.PhFts, ["wfts"] = FilterOperator.WFts,
        ["cs"] = FilterOperator.Cs, ["cd"] = FilterOperator.Cd, ["ov"] = FilterOperator.Ov,
        ["sl"] = FilterOperator.Sl, ["sr"] = FilterOperator.Sr,
        ["nxr"] = FilterOperator.Nxr, ["nxl"] = FilterOperator.Nxl, ["adj"] = FilterOperator.Adj,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Looked up by the span of the request's text, so no string is made for the operator.</summary>
    private static readonly FrozenDictionary<string, FilterOperator>.AlternateLookup<ReadOnlySpan<char>> OperatorsBySpan =
        Operators.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly (string Word, IsKeyword Keyword)[] IsKeywords =
    [
        ("null", IsKeyword.Null), ("not_null", IsKeyword.NotNull), ("true", IsKeyword.True),
        ("false", IsKeyword.False), ("unknown", IsKeyword.Unknown),
    ];

    /// <summary>
    /// Parses an operator expression. Returns null only when <paramref name="allowNoOperator"/> (RPC reads)
    /// and the text is not an operator expression; as in PostgREST that fallback is not taken once the
    /// text is committed to one: after <c>not.</c>, or inside the value of <c>in.</c>/<c>is.</c>.
    /// At top level the value is the rest of the text; in a logic tree it stops at ',' or ')'.
    /// Like PostgREST, text after a complete top-level <c>in.(...)</c> or <c>is.x</c> value is ignored.
    /// </summary>
    public static Filter? OpExpr(TextCursor c, bool inLogicTree, bool allowNoOperator)
    {
        var negated = c.TryConsume("not.");
        var canFallBack = allowNoOperator && !negated;

        var wordStart = c.Pos;
        while (!c.AtEnd && c.Peek is >= 'a' and <= 'z') c.Pos++;
        var word = c.Text.AsSpan(wordStart, c.Pos - wordStart);
        if (!OperatorsBySpan.TryGetValue(word, out var op))
        {
            if (canFallBack) return null;
            throw negated
                ? c.FailWord(wordStart, word.Length, OperatorLabel)
                : c.FailWord(wordStart, word.Length, "\"not\"", OperatorLabel);
        }

        Quantifier? quantifier = null;
        string? language = null;
        if (IsQuantifiable(op)) quantifier = TryQuantifier(c);
        else if (IsFts(op)) language = TryLanguage(c);

        if (!c.TryConsume('.'))
        {
            if (canFallBack) return null;
            throw c.Fail(quantifier is null && language is null && (IsQuantifiable(op) || IsFts(op))
                ? ["\"(\"", DelimiterLabel]
                : [DelimiterLabel]);
        }

        FilterValue value = op switch
        {
            FilterOperator.In => ListValue(c),
            FilterOperator.Is => IsValue(c),
            _ => new SingleValue(inLogicTree ? LogicSingleValue(c) : RestOfText(c)),
        };
        return new Filter(negated, op, quantifier, language, value);
    }

    private static bool IsQuantifiable(FilterOperator op) => op is FilterOperator.Eq or FilterOperator.Gt
        or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte or FilterOperator.Like
        or FilterOperator.ILike or FilterOperator.Match or FilterOperator.IMatch;

    private static bool IsFts(FilterOperator op) =>
        op is FilterOperator.Fts or FilterOperator.PlFts or FilterOperator.PhFts or FilterOperator.WFts;

    private static Quantifier? TryQuantifier(TextCursor c)
    {
        if (c.TryConsume("(any)")) return Quantifier.Any;
        if (c.TryConsume("(all)")) return Quantifier.All;
        return null;
    }

    /// <summary><c>fts(english)</c>: the language is an identifier; anything else leaves '(' for the delimiter check to reject.</summary>
    private static string? TryLanguage(TextCursor c)
    {
        var save = c.Pos;
        if (!c.TryConsume('(')) return null;
        try
        {
            var language = FieldParser.Identifier(c);
            if (c.TryConsume(')')) return language;
        }
        catch (ParseFailure)
        {
            // fall through: not a language
        }
        c.Pos = save;
        return null;
    }

    private static string RestOfText(TextCursor c)
    {
        var value = c.Text[c.Pos..];
        c.Pos = c.Text.Length;
        return value;
    }

    /// <summary>
    /// A value inside <c>or=(...)</c>: a double-quoted string (which must end the value), a <c>{...}</c>
    /// array literal (so <c>cs.{1,2}</c> works unquoted), or raw text up to the next ',' or ')'.
    /// </summary>
    private static string LogicSingleValue(TextCursor c)
    {
        var save = c.Pos;
        if (c.Is('"') && TryQuotedItem(c, out var quoted)) return quoted;
        c.Pos = save;
        if (c.TryConsume('{'))
        {
            while (!c.AtEnd && c.Peek is not ('{' or '}')) c.Pos++;
            if (c.TryConsume('}')) return c.Text[save..c.Pos];
            c.Pos = save;
        }
        return RawItem(c);
    }

    /// <summary><c>(item,item,...)</c>; spaces/tabs are allowed just inside and after the parentheses only.</summary>
    private static ListValue ListValue(TextCursor c)
    {
        c.SkipSpaces();
        c.Expect('(', "\"(\"");
        c.SkipSpaces();
        var items = new List<string> { ListItem(c) };
        while (c.TryConsume(',')) items.Add(ListItem(c));
        c.SkipSpaces();
        c.Expect(')', "\")\"");
        c.SkipSpaces();
        return new ListValue(ValueList<string>.From(items));
    }

    private static string ListItem(TextCursor c)
    {
        var save = c.Pos;
        if (c.Is('"') && TryQuotedItem(c, out var quoted)) return quoted;
        c.Pos = save;
        return RawItem(c);
    }

    /// <summary>A quoted item counts only if it is the whole item; otherwise it is raw text, quotes included.</summary>
    private static bool TryQuotedItem(TextCursor c, out string value)
    {
        value = "";
        try
        {
            value = FieldParser.QuotedValue(c);
        }
        catch (ParseFailure)
        {
            return false;
        }
        return c.AtEnd || c.Is(',') || c.Is(')');
    }

    private static string RawItem(TextCursor c)
    {
        var start = c.Pos;
        while (!c.AtEnd && c.Peek is not (',' or ')')) c.Pos++;
        return c.Text[start..c.Pos];
    }

    /// <summary>null, not_null, true, false, unknown; each letter in either case, as PostgREST accepts.</summary>
    private static IsValue IsValue(TextCursor c)
    {
        foreach (var (word, keyword) in IsKeywords)
        {
            if (MatchesIgnoringCase(c, word))
            {
                c.Pos += word.Length;
                return new IsValue(keyword);
            }
        }
        throw c.Fail(IsValueLabel);
    }

    private static bool MatchesIgnoringCase(TextCursor c, string lowerWord)
    {
        if (c.Pos + lowerWord.Length > c.Text.Length) return false;
        for (var i = 0; i < lowerWord.Length; i++)
        {
            var ch = c.Text[c.Pos + i];
            var expected = lowerWord[i];
            if (ch != expected && ch != char.ToUpperInvariant(expected)) return false;
        }
        return true;
    }
}
