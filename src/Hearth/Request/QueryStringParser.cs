using Hearth.Errors;
using System.Text;


namespace Hearth.Request;

/// <summary>
/// Entry point of the request parser: turns a raw query string into <see cref="QueryParams"/>, or throws
/// <see cref="ApiException"/> PGRST100 (via <see cref="ApiErrors.Parse"/>) naming the parameter and the
/// position, in PostgREST's shape: message <c>"failed to parse filter (foo.1)" (line 1, column 1)</c>,
/// details <c>unexpected "foo" expecting "not" or operator (eq, gt, ...)</c>. Pure and thread-safe.
/// <para>
/// Key classification (PostgREST's): the exact keys select, columns, on_conflict; any key whose last
/// dot-separated segment is order, limit, offset, and, or (so <c>books.order</c>, <c>not.or</c>,
/// <c>books.not.and</c>); every other key with a value is a filter. select/columns/on_conflict use their
/// first occurrence; a key without '=' is ignored.
/// </para>
/// </summary>
public static class QueryStringParser
{
    /// <summary>Parses for everything except GET/HEAD on a function: every filter needs an operator.</summary>
    public static QueryParams Parse(string rawQuery) => Parse(rawQuery, isRpcRead: false);

    /// <summary>
    /// With <paramref name="isRpcRead"/> (GET/HEAD /rpc/fn), a filter-like parameter whose value is not an
    /// operator expression becomes a function argument (<see cref="QueryParams.RpcArguments"/>) instead
    /// of an error, as in PostgREST.
    /// </summary>
    public static QueryParams Parse(string rawQuery, bool isRpcRead)
    {
        rawQuery ??= "";
        // A query string without filters (a list, a page of one) is all shape: its whole parse is remembered.
        if (!isRpcRead && WholeQueries.TryGet(rawQuery, rawQuery.Length, out var remembered)) return remembered;
        var parsed = ParseText(rawQuery, isRpcRead);
        if (!isRpcRead && rawQuery.Length <= ParseMemo<string, QueryParams>.MaxTextLength && parsed.Filters.Count == 0 && parsed.LogicTrees.Count == 0)
            WholeQueries.Remember(rawQuery, parsed);
        return parsed;
    }

    private static QueryParams ParseText(string rawQuery, bool isRpcRead)
    {
        var pairs = QueryStringSplitter.Split(rawQuery);
        // PostgreSQL text can hold no NUL: refuse it here rather than let it reach a parameter or a name.
        foreach (var (key, value) in pairs)
            if (key.Contains('\0') || value?.Contains('\0') == true)
                throw ApiErrors.Parse($"failed to parse parameter {key.Replace("\0", "%00")}", "NUL characters (%00) are not allowed");

        // Lists only for the kinds present: most requests have a filter or two and nothing else.
        List<(string Key, string Value)>? orderPairs = null, logicPairs = null, limitPairs = null, offsetPairs = null;
        List<KeyValuePair<string, string>>? filterPairs = null;
        // select, columns and on_conflict: the first pair with the key counts, even one without '=' (then none), as in PostgREST.
        (bool Seen, string? Value) selectPair = default, columnsPair = default, onConflictPair = default;
        foreach (var (key, value) in pairs)
        {
            switch (key)
            {
                case "select": if (!selectPair.Seen) selectPair = (true, value); continue;
                case "columns": if (!columnsPair.Seen) columnsPair = (true, value); continue;
                case "on_conflict": if (!onConflictPair.Seen) onConflictPair = (true, value); continue;
            }
            if (value is null) continue;
            switch (LastSegment(key))
            {
                case "order": (orderPairs ??= []).Add((key, value)); break;
                case "and" or "or": (logicPairs ??= []).Add((key, value)); break;
                case "limit": (limitPairs ??= []).Add((key, value)); break;
                case "offset": (offsetPairs ??= []).Add((key, value)); break;
                default:
                    (filterPairs ??= new(pairs.Count)).Add(new(key, value));
                    break;
            }
        }

        // Same order of checks as PostgREST, so the same parameter is blamed when several are wrong.
        var orders = orderPairs is null ? ValueList<ScopedOrder>.Empty : Map(orderPairs, static p => Orders.GetOrParse(p, p.Key.Length + p.Value.Length, ParseOrder));
        var logic = logicPairs is null ? ValueList<ScopedLogic>.Empty : Map(logicPairs, static p => ParseLogic(p.Key, p.Value));
        var columns = columnsPair.Value is { } columnsText
            ? ColumnLists.GetOrParse(columnsText, columnsText.Length, static t => Run("columns parameter", t, t, FieldParser.ColumnList))
            : null;
        var select = selectPair.Value is { } selectText
            ? Selects.GetOrParse(selectText, selectText.Length, static t => Run("select parameter", t, t, SelectParser.Parse))
            : ValueList<SelectItem>.Empty;

        // Filters straight into the array the list keeps (no List growing, no copy); RPC arguments are rare.
        var filters = filterPairs is null ? [] : new ScopedFilter[filterPairs.Count];
        var filterCount = 0;
        List<KeyValuePair<string, string>>? rpcArguments = null;
        foreach (var (key, value) in filterPairs ?? [])
        {
            var (embedPath, field) = ParseTreePath(key);
            var filter = Run("filter", value, value, isRpcRead ? RpcReadFilter : Filter);
            if (filter is null) (rpcArguments ??= []).Add(new(field.Name, value));
            else filters[filterCount++] = new ScopedFilter(embedPath, field, filter);
        }
        if (filterCount < filters.Length) Array.Resize(ref filters, filterCount);

        var onConflict = onConflictPair.Value is { } onConflictText
            ? OnConflicts.GetOrParse(onConflictText, onConflictText.Length, static t => Run("on_conflict parameter", t, t, FieldParser.ColumnList))
            : null;
        var ranges = limitPairs is null && offsetPairs is null ? ValueList<ScopedRange>.Empty : ParseRanges(limitPairs ?? [], offsetPairs ?? []);

        return new QueryParams(
            select,
            ValueList<ScopedFilter>.From(filters),
            logic,
            orders,
            ranges,
            columns,
            onConflict,
            rpcArguments is null ? ValueList<KeyValuePair<string, string>>.Empty : ValueList<KeyValuePair<string, string>>.From(rpcArguments))
        {
            // Logic trees hold operands deep inside their text, and RPC reads are not cached: the tree is their key.
            ShapeKey = logicPairs is null && !isRpcRead ? ShapeKey(rawQuery.Length + QueryShapeKey.PerPart * (pairs.Count + 3), selectPair.Value, columnsPair.Value, onConflictPair.Value, orderPairs, limitPairs, offsetPairs, filterPairs, filters) : null,
        };
    }

    /// <summary>The texts the shape was parsed from, filters' operands left out (<see cref="QueryShapeKey"/>).</summary>
    private static string ShapeKey(int capacity, string? select, string? columns, string? onConflict, List<(string Key, string Value)>? orders,
        List<(string Key, string Value)>? limits, List<(string Key, string Value)>? offsets, List<KeyValuePair<string, string>>? filterPairs,
        ScopedFilter[] filters)
    {
        var key = QueryShapeKey.Start(capacity);
        key.Text('s', 'S', select);
        key.Text('c', 'C', columns);
        key.Text('k', 'K', onConflict);
        Pairs(ref key, 'o', orders);
        Pairs(ref key, 'l', limits);
        Pairs(ref key, 'm', offsets);
        // Outside RPC reads every filter pair became a filter, in order.
        for (var i = 0; i < filters.Length; i++) key.Filter(filterPairs![i].Key, filters[i].Filter);
        return key.ToString();

        static void Pairs(ref QueryShapeKey key, char tag, List<(string Key, string Value)>? pairs)
        {
            if (pairs is null) return;
            foreach (var (k, v) in pairs) key.Pair(tag, k, v);
        }
    }

    private static readonly Func<TextCursor, Filter?> Filter = c => FilterParser.OpExpr(c, inLogicTree: false, allowNoOperator: false);
    private static readonly Func<TextCursor, Filter?> RpcReadFilter = c => FilterParser.OpExpr(c, inLogicTree: false, allowNoOperator: true);

    /// <summary>Each pair parsed, in order, straight into the list's array (no LINQ: this runs on every request).</summary>
    private static ValueList<T> Map<T>(List<(string Key, string Value)> pairs, Func<(string Key, string Value), T> parse)
    {
        var items = new T[pairs.Count];
        for (var i = 0; i < items.Length; i++) items[i] = parse(pairs[i]);
        return ValueList<T>.From(items);
    }

    private static string LastSegment(string key)
    {
        var dot = key.LastIndexOf('.');
        return dot < 0 ? key : key[(dot + 1)..];
    }

    // The parts without values, remembered by their text (see ParseMemo); a few hundred distinct texts each.
    private const int MemoCapacity = 512;
    private static readonly ParseMemo<string, QueryParams> WholeQueries = new(MemoCapacity);
    private static readonly ParseMemo<string, IReadOnlyList<SelectItem>> Selects = new(MemoCapacity);
    private static readonly ParseMemo<(string Key, string Value), ScopedOrder> Orders = new(MemoCapacity);
    private static readonly ParseMemo<string, (IReadOnlyList<string> EmbedPath, Field Field)> TreePaths = new(MemoCapacity);
    private static readonly ParseMemo<string, IReadOnlyList<string>> ColumnLists = new(MemoCapacity), OnConflicts = new(MemoCapacity);

    private static (IReadOnlyList<string> EmbedPath, Field Field) ParseTreePath(string key) =>
        TreePaths.GetOrParse(key, key.Length, static k => Run("tree path", k, k, FieldParser.TreePath));

    private static ScopedOrder ParseOrder((string Key, string Value) pair)
    {
        var (key, value) = pair;
        var (embedPath, _) = ParseTreePath(key);
        var terms = Run("order", value, value, OrderParser.Parse);
        return new ScopedOrder(embedPath, terms);
    }

    /// <summary>
    /// <c>[path.][not.](or|and)</c>: every "not" segment is dropped from the embed path and negates the
    /// tree, as PostgREST does.
    /// </summary>
    private static ScopedLogic ParseLogic(string key, string value)
    {
        var names = Run("logic path", key, key, c =>
        {
            var list = new List<string> { FieldParser.FieldName(c) };
            while (c.TryConsume('.')) list.Add(FieldParser.FieldName(c));
            return list;
        });
        var op = names[^1];
        var negated = names.Contains("not");
        var embedPath = names.Take(names.Count - 1).Where(n => n != "not");
        var tree = Run("logic tree", value, (negated ? "not." : "") + op + value, LogicTreeParser.Parse);
        return new ScopedLogic(ValueList<string>.From(embedPath), tree);
    }

    /// <summary>
    /// limit/offset per key (offset keys are paired with the limit key of the same path; the last duplicate
    /// wins). Deliberate difference: PostgREST silently ignores a value that is not an integer; here it is
    /// a PGRST100, so mistakes are not hidden.
    /// </summary>
    private static ValueList<ScopedRange> ParseRanges(List<(string Key, string Value)> limits, List<(string Key, string Value)> offsets)
    {
        // A request names one or two paths: a list searched in order is cheaper than a dictionary.
        var byKey = new List<(string Key, long? Limit, long? Offset)>(limits.Count + offsets.Count);
        foreach (var (key, value) in limits) Set(byKey, key, Run("limit parameter", value, value, Integer), null);
        foreach (var (key, value) in offsets) Set(byKey, key[..^"offset".Length] + "limit", null, Run("offset parameter", value, value, Integer));
        var ranges = new ScopedRange[byKey.Count];
        for (var i = 0; i < ranges.Length; i++) ranges[i] = new ScopedRange(ParseTreePath(byKey[i].Key).EmbedPath, byKey[i].Limit, byKey[i].Offset);
        return ValueList<ScopedRange>.From(ranges);

        static void Set(List<(string Key, long? Limit, long? Offset)> byKey, string key, long? limit, long? offset)
        {
            for (var i = 0; i < byKey.Count; i++)
                if (byKey[i].Key == key)
                {
                    byKey[i] = (key, limit ?? byKey[i].Limit, offset ?? byKey[i].Offset);
                    return;
                }
            byKey.Add((key, limit, offset));
        }
    }

    /// <summary>An optionally negative decimal integer, spaces allowed around it.</summary>
    private static long Integer(TextCursor c)
    {
        c.SkipSpaces();
        var start = c.Pos;
        c.TryConsume('-');
        var digits = c.Pos;
        while (!c.AtEnd && TextCursor.IsAsciiDigit(c.Peek)) c.Pos++;
        if (c.Pos == digits) throw c.Fail("digit");
        var end = c.Pos;
        c.SkipSpaces();
        if (!c.AtEnd) throw c.Fail("digit", "end of input");
        if (!long.TryParse(c.Text.AsSpan(start, end - start), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            c.Pos = start;
            throw c.Fail("an integer that fits in 64 bits");
        }
        return number;
    }

    /// <summary>
    /// Runs one parser over <paramref name="text"/> and turns its failure into PGRST100.
    /// <paramref name="shown"/> is what the message quotes (for logic trees it differs from the parsed text).
    /// </summary>
    private static T Run<T>(string what, string shown, string text, Func<TextCursor, T> parse)
    {
        var cursor = new TextCursor(text);
        try
        {
            return parse(cursor);
        }
        catch (ParseFailure failure)
        {
            var (line, column) = cursor.LineColumn(failure.Position);
            var message = $"\"failed to parse {what} ({EscapeLikeHaskellShow(shown)})\" (line {line}, column {column})";
            throw ApiErrors.Parse(message, failure.Details());
        }
    }

    /// <summary>PostgREST prints the parameter with Haskell's show, which escapes quotes, backslashes and control characters.</summary>
    private static string EscapeLikeHaskellShow(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default: sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }
}
