namespace Hearth.Request;

/// <summary>
/// <c>select=</c>: a comma-separated forest of fields, aggregates and embedded resources.
/// Grammar (spaces/tabs allowed around items and commas):
/// <code>
/// forest := [item (',' item)*]
/// item   := '...' name params '(' forest ')'                       spread
///         | [alias ':'] name params '(' forest ')'                 embed (name != "count")
///         | '*'
///         | [alias ':'] 'count()' ['::' type]
///         | [alias ':'] field ['::' type] ['.' agg '()'] ['::' type]
/// params := ('!' (inner | left | hint)){0,2}
/// </code>
/// </summary>
internal static class SelectParser
{
    private static readonly string[] ItemEnd = ["\",\"", "\")\"", "end of input"];
    // Built once: a collection expression with a spread allocates a new array on every call.
    private static readonly string[] CountEnd = ["\"::\"", .. ItemEnd];
    private static readonly string[] FieldEnd = ["\"->>\"", "\"->\"", "\"::\"", "\".\"", .. ItemEnd];

    private static readonly (string Name, AggregateFunction Function)[] Aggregates =
    [
        ("sum", AggregateFunction.Sum), ("avg", AggregateFunction.Avg), ("count", AggregateFunction.Count),
        ("max", AggregateFunction.Max), ("min", AggregateFunction.Min),
    ];

    /// <summary>Like PostgREST, stops after the last complete item: trailing text such as a stray ')' is ignored.</summary>
    public static IReadOnlyList<SelectItem> Parse(TextCursor c) => Forest(c, 0);

    private static IReadOnlyList<SelectItem> Forest(TextCursor c, int depth)
    {
        var save = c.Pos;
        c.SkipSpaces();
        if (c.AtEnd || c.Is(')')) return ValueList<SelectItem>.Empty; // "select=" and "rel()" are valid
        c.Pos = save;

        var items = new List<SelectItem> { Item(c, depth) };
        while (true)
        {
            save = c.Pos;
            c.SkipSpaces();
            if (!c.TryConsume(','))
            {
                c.Pos = save;
                break;
            }
            items.Add(Item(c, depth));
        }
        return ValueList<SelectItem>.From(items);
    }

    private static SelectItem Item(TextCursor c, int depth)
    {
        c.SkipSpaces();
        var start = c.Pos;
        if (c.TryConsume("..."))
        {
            var name = FieldParser.FieldName(c);
            var (hint, join) = EmbedParams(c);
            var children = Children(c, depth);
            return new EmbedSelect(name, null, hint, join, IsSpread: true, children);
        }

        if (TryRelationHead(c, out var alias, out var relation, out var relHint, out var relJoin))
        {
            var children = Children(c, depth);
            return new EmbedSelect(relation, alias, relHint, relJoin, IsSpread: false, children);
        }
        c.Pos = start;
        return FieldItem(c);
    }

    /// <summary>Everything of an embed up to its '('; false (and nothing to undo for the caller but Pos) if it is not one.</summary>
    private static bool TryRelationHead(TextCursor c, out string? alias, out string name, out string? hint, out JoinType? join)
    {
        alias = null;
        name = "";
        hint = null;
        join = null;
        if (!StartsName(c)) return false; // e.g. '*': cheaper than failing inside the try
        try
        {
            alias = TryAlias(c);
            name = FieldParser.FieldName(c);
            // count() is the aggregate, never a relation called "count".
            if (name == "count") return false;
            (hint, join) = EmbedParams(c);
            return c.Is('(');
        }
        catch (ParseFailure)
        {
            return false;
        }
    }

    private static IReadOnlyList<SelectItem> Children(TextCursor c, int depth)
    {
        if (depth >= TextCursor.MaxDepth) throw c.Fail($"at most {TextCursor.MaxDepth} levels of embedding");
        c.Expect('(', "\"(\"");
        var children = Forest(c, depth + 1);
        c.SkipSpaces();
        c.Expect(')', "\")\"");
        c.SkipSpaces();
        return children;
    }

    /// <summary>
    /// Up to two <c>!x</c> after a relation name. The words <c>inner</c> and <c>left</c> are join types,
    /// anything else is a hint (a quoted <c>!"inner"</c> is a hint). Deliberate difference: PostgREST
    /// matches inner/left as prefixes, so it cannot parse a hint such as <c>left_fk</c>; here it can.
    /// </summary>
    private static (string? Hint, JoinType? Join) EmbedParams(TextCursor c)
    {
        string? hint = null;
        JoinType? join = null;
        for (var i = 0; i < 2 && c.TryConsume('!'); i++)
        {
            var quoted = c.Is('"');
            var word = FieldParser.FieldName(c);
            JoinType? thisJoin = quoted ? null : word switch
            {
                "inner" => JoinType.Inner,
                "left" => JoinType.Left,
                _ => null,
            };
            if (thisJoin is not null) join ??= thisJoin;
            else hint ??= word;
        }
        return (hint, join);
    }

    /// <summary><c>name:</c> (but not <c>name::</c>, which is a cast); restores the position when absent.</summary>
    private static string? TryAlias(TextCursor c)
    {
        if (!StartsName(c)) return null;
        var save = c.Pos;
        try
        {
            var name = FieldParser.FieldName(c);
            if (c.Is(':') && !c.IsAt(1, ':'))
            {
                c.Pos++;
                return name;
            }
        }
        catch (ParseFailure)
        {
            // not an alias
        }
        c.Pos = save;
        return null;
    }

    private static SelectItem FieldItem(TextCursor c)
    {
        c.SkipSpaces();
        if (c.TryConsume('*'))
        {
            c.SkipSpaces();
            RequireEnd(c, ItemEnd);
            return new StarSelect();
        }

        var alias = TryAlias(c);
        if (c.TryConsume("count()"))
        {
            var countCast = TryCast(c);
            c.SkipSpaces();
            RequireEnd(c, CountEnd);
            return new FieldSelect(new Field("*"), alias, null, AggregateFunction.Count, countCast);
        }

        var field = FieldParser.Field(c);
        var cast = TryCast(c);
        var aggregate = TryAggregate(c);
        var aggregateCast = TryCast(c);
        c.SkipSpaces();
        RequireEnd(c, FieldEnd);
        return new FieldSelect(field, alias, cast, aggregate, aggregateCast);
    }

    private static bool StartsName(TextCursor c) => c.Is('"') || (!c.AtEnd && FieldParser.IsIdentifierChar(c.Peek));

    private static string? TryCast(TextCursor c) => c.TryConsume("::") ? FieldParser.Identifier(c) : null;

    /// <summary><c>.sum()</c> and friends; leaves the position alone if what follows the dot is not one.</summary>
    private static AggregateFunction? TryAggregate(TextCursor c)
    {
        if (!c.Is('.')) return null;
        foreach (var (name, function) in Aggregates)
        {
            var call = "." + name + "()";
            if (c.TryConsume(call)) return function;
        }
        return null;
    }

    private static void RequireEnd(TextCursor c, string[] expected)
    {
        if (!(c.AtEnd || c.Is(',') || c.Is(')'))) throw c.FailEnd(expected);
    }
}
