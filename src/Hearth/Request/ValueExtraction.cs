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
        var values = new List<string>();
        int Add(string value) { values.Add(value); return values.Count - 1; }
        Filter Take(Filter f) => f.Value switch
        {
            SingleValue v => f with { Language = null, Value = new ParamValue(Add(f.SqlOperand(v)), f.Language is { } l ? Add(l) : null) },
            ListValue l => f with { Value = new ParamValue(Add(l.ArrayLiteral)) },
            _ => f,
        };
        LogicNode TakeNode(LogicNode n) => n switch
        {
            LogicTree t => t with { Children = ValueList<LogicNode>.From(t.Children.Select(TakeNode)) },
            FilterLeaf leaf => leaf with { Filter = Take(leaf.Filter) },
            _ => n,
        };
        var shape = query with
        {
            Filters = ValueList<ScopedFilter>.From(query.Filters.Select(f => f with { Filter = Take(f.Filter) })),
            LogicTrees = ValueList<ScopedLogic>.From(query.LogicTrees.Select(l => l with { Tree = (LogicTree)TakeNode(l.Tree) })),
        };
        return new ExtractedQuery(shape, values);
    }
}

/// <summary>A query whose operands are <see cref="ParamValue"/>s, and their values (text, sent untyped as PostgREST's literals).</summary>
public sealed record ExtractedQuery(QueryParams Shape, IReadOnlyList<string> Values);
