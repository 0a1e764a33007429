namespace Hearth.Request;

/// <summary>
/// <c>or=(...)</c> / <c>and=(...)</c> trees. Like PostgREST, the key's operator is glued in front of the
/// value (<c>or</c> + <c>(a.eq.1)</c>) and the whole is parsed as one expression, so error columns count
/// from the start of that combined text. Grammar:
/// <code>
/// expr := ['not.'] ('and' | 'or') '(' node (',' node)* ')'
/// node := field '.' opexpr | expr          (a filter is tried first)
/// </code>
/// Deliberate difference: PostgREST also accepts a bare filter at the root, so <c>or=a.eq.1</c> becomes
/// a filter on a column named "ora"; here the root must be a parenthesised list.
/// </summary>
internal static class LogicTreeParser
{
    private const string NotLabel = "negation operator (not)";
    private const string LogicOperatorLabel = "logic operator (and, or)";

    /// <summary>Parses the combined text; text after the closing parenthesis is ignored, as in PostgREST.</summary>
    public static LogicTree Parse(TextCursor c) => Expression(c, 0);

    private static LogicNode Node(TextCursor c, int depth)
    {
        var start = c.Pos;
        try
        {
            return Leaf(c);
        }
        catch (ParseFailure leafFailure)
        {
            c.Pos = start;
            try
            {
                return Expression(c, depth);
            }
            catch (ParseFailure treeFailure)
            {
                // Parsec's rule for "try leaf <|> tree": once the tree alternative has consumed input
                // (e.g. "not."), its error stands alone; otherwise both errors are merged.
                throw treeFailure.Position > start ? treeFailure : ParseFailure.Furthest(leafFailure, treeFailure);
            }
        }
    }

    private static FilterLeaf Leaf(TextCursor c)
    {
        var field = FieldParser.Field(c);
        c.Expect('.', "delimiter (.)");
        var filter = FilterParser.OpExpr(c, inLogicTree: true, allowNoOperator: false)!;
        return new FilterLeaf(field, filter);
    }

    private static LogicTree Expression(TextCursor c, int depth)
    {
        if (depth >= TextCursor.MaxDepth) throw c.Fail($"at most {TextCursor.MaxDepth} levels of nested logic");
        var negated = c.TryConsume("not.");
        bool isOr;
        if (c.TryConsume("and")) isOr = false;
        else if (c.TryConsume("or")) isOr = true;
        else throw negated ? c.Fail(LogicOperatorLabel) : c.Fail(NotLabel, LogicOperatorLabel);

        c.SkipSpaces();
        c.Expect('(', "\"(\"");
        c.SkipSpaces();
        var children = new List<LogicNode> { Node(c, depth + 1) };
        while (true)
        {
            c.SkipSpaces();
            if (!c.TryConsume(',')) break;
            c.SkipSpaces();
            children.Add(Node(c, depth + 1));
        }
        c.Expect(')', "\")\"");
        c.SkipSpaces();
        return new LogicTree(isOr, negated, ValueList<LogicNode>.From(children));
    }
}
