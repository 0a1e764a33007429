using System.Text;

namespace Hearth.Request;

/// <summary>
/// The lexical pieces every parameter shares: field names, quoted values, JSON paths, embed paths in keys,
/// casts and column lists.
/// </summary>
internal static class FieldParser
{
    public const string FieldNameLabel = "field name (* or [a..z0..9_$])";
    private const string JsonKeyLabel = "any non reserved character different from: .,>()";

    /// <summary>Unquoted names: letters (any script), ASCII digits, '_', '$' and spaces (trimmed at the ends).</summary>
    public static bool IsIdentifierChar(char c) => char.IsLetter(c) || TextCursor.IsAsciiDigit(c) || c is '_' or ' ' or '$';

    /// <summary>Unquoted JSON keys are more liberal: anything but the characters that end a key.</summary>
    private static bool IsJsonKeyChar(char c) => c is not ('(' or '-' or ':' or '.' or ',' or '>' or ')');

    /// <summary><c>"..."</c> where a backslash makes the next character literal.</summary>
    public static string QuotedValue(TextCursor c)
    {
        c.Expect('"', "\"\\\"\"");
        var sb = new StringBuilder();
        while (true)
        {
            if (c.AtEnd) throw c.Fail("\"\\\"\"");
            var ch = c.Peek;
            c.Pos++;
            if (ch == '"') return sb.ToString();
            if (ch == '\\')
            {
                if (c.AtEnd) throw c.Fail("any character");
                ch = c.Peek;
                c.Pos++;
            }
            sb.Append(ch);
        }
    }

    /// <summary>A column/relation/alias name: quoted, or identifier pieces joined by single dashes.</summary>
    public static string FieldName(TextCursor c)
    {
        if (c.Is('"')) return QuotedValue(c);
        if (!c.AtEnd && IsIdentifierChar(c.Peek)) return SepByDash(c, IsIdentifierChar, FieldNameLabel, trimAllWhitespace: false);
        throw c.Fail(FieldNameLabel);
    }

    /// <summary>
    /// Pieces separated by '-'; a '-' followed by '>' is a JSON arrow, not part of the name, which is why
    /// <c>my-col->key</c> splits as name <c>my-col</c> plus path <c>->key</c>.
    /// </summary>
    private static string SepByDash(TextCursor c, Func<char, bool> isChar, string label, bool trimAllWhitespace)
    {
        string Piece()
        {
            var start = c.Pos;
            while (!c.AtEnd && isChar(c.Peek)) c.Pos++;
            if (c.Pos == start) throw c.Fail(label);
            var piece = c.Text.AsSpan(start, c.Pos - start);
            return (trimAllWhitespace ? piece.Trim() : piece.Trim(' ')).ToString();
        }
        bool DashFollows() => c.Is('-') && !c.IsAt(1, '>');

        // Most names are one piece: one string, no builder.
        var first = Piece();
        if (!DashFollows()) return first;
        var sb = new StringBuilder(first);
        while (DashFollows())
        {
            c.Pos++;
            sb.Append('-').Append(Piece());
        }
        return sb.ToString();
    }

    /// <summary>
    /// Zero or more <c>->x</c>/<c>->>x</c>. An operand made of an optional '-' and digits, followed by the
    /// end of the field, is an array index; anything else is an object key.
    /// Deliberate difference: PostgREST does not accept ')' after an index, so in <c>rel(data->0)</c> it
    /// reads the key "0"; here it is an index like everywhere else.
    /// </summary>
    public static IReadOnlyList<JsonPathStep> JsonPath(TextCursor c)
    {
        if (!c.StartsWith("->")) return ValueList<JsonPathStep>.Empty;
        var steps = new List<JsonPathStep>();
        while (c.StartsWith("->"))
        {
            var asText = c.TryConsume("->>");
            if (!asText) c.Pos += 2;
            var start = c.Pos;
            if (TryIndex(c, out var index, out var indexFailure))
            {
                steps.Add(new JsonPathStep(index, asText, IsIndex: true));
                continue;
            }
            c.Pos = start;
            try
            {
                steps.Add(new JsonPathStep(JsonKey(c), asText));
            }
            catch (ParseFailure keyFailure)
            {
                throw ParseFailure.Furthest(indexFailure!, keyFailure);
            }
        }
        return ValueList<JsonPathStep>.From(steps);
    }

    private static bool TryIndex(TextCursor c, out string index, out ParseFailure? failure)
    {
        index = "";
        failure = null;
        var start = c.Pos;
        c.TryConsume('-');
        var digits = c.Pos;
        while (!c.AtEnd && TextCursor.IsAsciiDigit(c.Peek)) c.Pos++;
        if (c.Pos == digits)
        {
            failure = c.Fail("digit");
            return false;
        }
        if (!(c.AtEnd || c.StartsWith("->") || c.StartsWith("::") || c.Is('.') || c.Is(',') || c.Is(')')))
        {
            failure = c.FailEnd("digit", "\"->\"", "\"::\"", "\".\"", "\",\"", "\")\"", "end of input");
            return false;
        }
        index = c.Text[start..c.Pos];
        return true;
    }

    private static string JsonKey(TextCursor c)
    {
        if (c.Is('"')) return QuotedValue(c);
        if (!c.AtEnd && IsJsonKeyChar(c.Peek)) return SepByDash(c, IsJsonKeyChar, JsonKeyLabel, trimAllWhitespace: true);
        throw c.Fail("\"-\"", "digit", JsonKeyLabel);
    }

    /// <summary>A field with optional JSON path, allowing spaces/tabs around it.</summary>
    public static Field Field(TextCursor c)
    {
        c.SkipSpaces();
        var name = FieldName(c);
        var path = JsonPath(c);
        c.SkipSpaces();
        return new Field(name, path);
    }

    /// <summary>
    /// A parameter key: <c>a.b.c->x</c> gives embed path [a, b] and field <c>c->x</c>. Like PostgREST, text
    /// after a complete key is ignored.
    /// </summary>
    public static (IReadOnlyList<string> EmbedPath, Field Field) TreePath(TextCursor c)
    {
        var names = new List<string> { FieldName(c) };
        while (c.TryConsume('.')) names.Add(FieldName(c));
        var path = JsonPath(c);
        var last = names[^1];
        names.RemoveAt(names.Count - 1);
        return (ValueList<string>.From(names), new Field(last, path));
    }

    /// <summary>A type name after <c>::</c> (also the fts language): identifier characters, trimmed.</summary>
    public static string Identifier(TextCursor c)
    {
        var start = c.Pos;
        while (!c.AtEnd && IsIdentifierChar(c.Peek)) c.Pos++;
        if (c.Pos == start) throw c.Fail("letter or digit");
        return c.Text[start..c.Pos].Trim(' ');
    }

    /// <summary><c>columns=</c> and <c>on_conflict=</c>: one or more names separated by commas.</summary>
    public static IReadOnlyList<string> ColumnList(TextCursor c)
    {
        var names = new List<string> { FieldName(c) };
        while (true)
        {
            var save = c.Pos;
            c.SkipSpaces();
            if (!c.TryConsume(','))
            {
                c.Pos = save;
                break;
            }
            c.SkipSpaces();
            names.Add(FieldName(c));
        }
        return ValueList<string>.From(names);
    }
}
