namespace Hearth.Request;

/// <summary>
/// Takes the values out of a parsed query: every filter operand (and fts language) becomes a
/// <see cref="ParamValue"/> pointing into <see cref="ExtractedQuery.Values"/>, formatted once for SQL (like
/// patterns, array literals for <c>in</c>). Two requests that differ only in values give equal shapes,
/// so the plan and the SQL built from the shape are reused, and the values are bound as $n parameters.
/// Limit and offset stay in the shape: they are rarely varied per request except when paging, and each
/// page shape is then cached on its own.
/// </summary>
public static class ValueExtraction
{
    public static ExtractedQuery Extract(QueryParams query)
    {
        if (query.Filters.Count == 0 && query.LogicTrees.Count == 0) return new ExtractedQuery(query, []);
        // Loops rather than LINQ: this runs on every request with a filter.
        var values = new List<string>(query.Filters.Count + 1);
        var filters = new ScopedFilter[query.Filters.Count];
        for (var i = 0; i < filters.Length; i++) filters[i] = query.Filters[i] with { Filter = Take(query.Filters[i].Filter, values) };
        var logic = query.LogicTrees;
        if (logic.Count > 0)
        {
            var trees = new ScopedLogic[logic.Count];
            for (var i = 0; i < trees.Length; i++) trees[i] = logic[i] with { Tree = (LogicTree)TakeNode(logic[i].Tree, values) };
            logic = ValueList<ScopedLogic>.From(trees);
        }
        return new ExtractedQuery(query with { Filters = ValueList<ScopedFilter>.From(filters), LogicTrees = logic }, values);
    }

    /// <summary>
    /// Only the values, in the order <see cref="Extract"/> numbers them: what a request needs when its plan comes
    /// from the query cache (the shape is built only to plan a new one).
    /// </summary>
    public static IReadOnlyList<string> Values(QueryParams query)
    {
        if (query.Filters.Count == 0 && query.LogicTrees.Count == 0) return [];
        if (query.LogicTrees.Count > 0) return Extract(query).Values; // rare: the trees' walk is Extract's own
        var values = new List<string>(query.Filters.Count + 1);
        for (var i = 0; i < query.Filters.Count; i++) Take(query.Filters[i].Filter, values, shape: false);
        return values;
    }

    /// <summary>Adds the filter's values; with <paramref name="shape"/>, returns the filter with references in their place.</summary>
    private static Filter Take(Filter f, List<string> values, bool shape = true)
    {
        switch (f.Value)
        {
            case SingleValue v when f.Language is null:
            {
                var index = Add(values, f.SqlOperand(v));
                return shape ? f with { Value = ParamValue.At(index) } : f;
            }
            case SingleValue v:
            {
                var index = Add(values, f.SqlOperand(v));
                var language = Add(values, f.Language);
                return shape ? f with { Language = null, Value = new ParamValue(index, language) } : f;
            }
            case ListValue l:
            {
                var index = Add(values, l.ArrayLiteral);
                return shape ? f with { Value = ParamValue.At(index) } : f;
            }
            default:
                return f;
        }
    }

    private static LogicNode TakeNode(LogicNode n, List<string> values)
    {
        switch (n)
        {
            case LogicTree t:
                var children = new LogicNode[t.Children.Count];
                for (var i = 0; i < children.Length; i++) children[i] = TakeNode(t.Children[i], values);
                return t with { Children = ValueList<LogicNode>.From(children) };
            case FilterLeaf leaf:
                return leaf with { Filter = Take(leaf.Filter, values) };
            default:
                return n;
        }
    }

    private static int Add(List<string> values, string value)
    {
        values.Add(value);
        return values.Count - 1;
    }
}

/// <summary>A query whose operands are <see cref="ParamValue"/>s, and their values (text, sent untyped as PostgREST's literals).</summary>
public readonly record struct ExtractedQuery(QueryParams Shape, IReadOnlyList<string> Values);
