namespace Hearth.Request;

/// <summary>
/// <c>order=</c>: one or more terms separated by commas, each <c>field[.asc|.desc][.nullsfirst|.nullslast]</c>
/// or <c>relation(field)[...]</c> for a to-one embed's column. Unlike select, nothing may follow the last term.
/// </summary>
internal static class OrderParser
{
    private static readonly string[] DirectionOrNulls = ["\"asc\"", "\"desc\"", "\"nullsfirst\"", "\"nullslast\""];
    private static readonly string[] NullsOnly = ["\"nullsfirst\"", "\"nullslast\""];

    public static IReadOnlyList<OrderTerm> Parse(TextCursor c)
    {
        var terms = new List<OrderTerm> { Term(c) };
        while (c.TryConsume(',')) terms.Add(Term(c));
        return ValueList<OrderTerm>.From(terms);
    }

    private static OrderTerm Term(TextCursor c)
    {
        c.SkipSpaces();
        var start = c.Pos;
        string? relation = null;
        Field field;
        var name = FieldParser.FieldName(c);
        if (c.TryConsume('('))
        {
            relation = name;
            field = FieldParser.Field(c);
            c.Expect(')', "\")\"");
        }
        else
        {
            c.Pos = start;
            field = FieldParser.Field(c);
        }

        bool? descending = null;
        bool? nullsFirst = null;
        // Keywords are matched as prefixes, as PostgREST does, so "id.descc" fails at the extra 'c'.
        while (nullsFirst is null && c.Is('.'))
        {
            c.Pos++;
            if (descending is null && c.TryConsume("asc")) descending = false;
            else if (descending is null && c.TryConsume("desc")) descending = true;
            else if (c.TryConsume("nullsfirst")) nullsFirst = true;
            else if (c.TryConsume("nullslast")) nullsFirst = false;
            else throw c.Fail(descending is null ? DirectionOrNulls : NullsOnly);
        }

        c.SkipSpaces();
        if (!(c.AtEnd || c.Is(',')))
        {
            throw nullsFirst is null
                ? c.FailEnd("delimiter (.)", "\",\"", "end of input")
                : c.FailEnd("\",\"", "end of input");
        }
        return new OrderTerm(field, relation, descending, nullsFirst);
    }
}
