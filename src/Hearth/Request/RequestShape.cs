namespace Hearth.Request;

/// <summary>
/// Splits parsed query parameters into a shape and its values: every filter operand (and fts language)
/// is replaced by a slot token that the SQL stage turns into a parameter bound to Values[i]. Two
/// requests with equal shapes produce the same SQL text, so the plan and the statement can be reused
/// (see Sql/StatementCache). Limit and offset stay in the shape: they are rarely varied per request
/// except when paging, and each page shape is then cached on its own.
/// </summary>
public static class RequestShape
{
    private const char Marker = '\u0001';

    public static string Token(int index) => $"{Marker}{index}{Marker}";

    public static bool TryParseToken(string text, out int index)
    {
        index = -1;
        return text.Length >= 3 && text[0] == Marker && text[^1] == Marker && int.TryParse(text.AsSpan(1, text.Length - 2), out index);
    }

    /// <summary>The shape, or null when a value happens to contain the token marker (then nothing is cached).</summary>
    public static (QueryParams Shape, IReadOnlyList<object> Values)? Split(QueryParams query)
    {
        var values = new List<object>();
        var ok = true;
        string Slot(object value)
        {
            if (value is string s && s.Contains(Marker)) ok = false;
            if (value is IReadOnlyList<string> list && list.Any(i => i.Contains(Marker))) ok = false;
            values.Add(value);
            return Token(values.Count - 1);
        }
        Filter MaskFilter(Filter f) => f with
        {
            Language = f.Language is null ? null : Slot(f.Language),
            Value = f.Value switch
            {
                SingleValue v => new SingleValue(Slot(v.Text)),
                ListValue l => new ListValue(ValueList<string>.Of(Slot(l.Items))),
                var other => other,
            },
        };
        LogicNode MaskNode(LogicNode n) => n switch
        {
            LogicTree t => t with { Children = ValueList<LogicNode>.From(t.Children.Select(MaskNode)) },
            FilterLeaf leaf => leaf with { Filter = MaskFilter(leaf.Filter) },
            _ => n,
        };
        var shape = query with
        {
            Filters = ValueList<ScopedFilter>.From(query.Filters.Select(f => f with { Filter = MaskFilter(f.Filter) })),
            LogicTrees = ValueList<ScopedLogic>.From(query.LogicTrees.Select(l => l with { Tree = (LogicTree)MaskNode(l.Tree) })),
            RawFilterParams = ValueList<KeyValuePair<string, string>>.Empty,
        };
        return ok ? (shape, values) : null;
    }
}
