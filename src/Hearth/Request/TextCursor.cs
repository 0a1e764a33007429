namespace Hearth.Request;

/// <summary>
/// Internal failure of one sub-parser. Carries where it happened and what was expected, so alternatives
/// can be compared (the failure that got furthest wins, as with Parsec) and the final message can say
/// <c>unexpected X expecting Y</c>. Never leaves the Request namespace: it becomes a PGRST100.
/// </summary>
internal sealed class ParseFailure(int position, string unexpected, IReadOnlyList<string> expected)
    : Exception("parse failure")
{
    public int Position { get; } = position;
    public string Unexpected { get; } = unexpected;
    public IReadOnlyList<string> Expected { get; } = expected;

    /// <summary>Keep the failure that consumed more input; at the same spot, merge the expectations.</summary>
    public static ParseFailure Furthest(ParseFailure a, ParseFailure b)
    {
        if (a.Position != b.Position) return a.Position > b.Position ? a : b;
        return new ParseFailure(a.Position, a.Unexpected, a.Expected.Concat(b.Expected).Distinct().ToArray());
    }

    /// <summary>Parsec-like details: <c>unexpected "x" expecting a, b or c</c>.</summary>
    public string Details()
    {
        var text = "unexpected " + Unexpected;
        if (Expected.Count == 0) return text;
        var list = Expected.Count == 1
            ? Expected[0]
            : string.Join(", ", Expected.Take(Expected.Count - 1)) + " or " + Expected[^1];
        return text + " expecting " + list;
    }
}

/// <summary>A position in the text being parsed, with the small helpers the recursive-descent parsers share.</summary>
internal sealed class TextCursor(string text)
{
    /// <summary>Deeper select or logic nesting is refused: it is never useful and would risk the stack.</summary>
    public const int MaxDepth = 64;

    public string Text { get; } = text;
    public int Pos { get; set; }

    public bool AtEnd => Pos >= Text.Length;

    /// <summary>The current character, or '\0' at the end (callers check <see cref="AtEnd"/> where '\0' matters).</summary>
    public char Peek => Pos < Text.Length ? Text[Pos] : '\0';

    public bool Is(char c) => Pos < Text.Length && Text[Pos] == c;

    public bool IsAt(int offset, char c) => Pos + offset < Text.Length && Text[Pos + offset] == c;

    public bool StartsWith(string s) =>
        Pos + s.Length <= Text.Length && string.CompareOrdinal(Text, Pos, s, 0, s.Length) == 0;

    public bool TryConsume(char c)
    {
        if (!Is(c)) return false;
        Pos++;
        return true;
    }

    public bool TryConsume(string s)
    {
        if (!StartsWith(s)) return false;
        Pos += s.Length;
        return true;
    }

    public void Expect(char c, string label)
    {
        if (!TryConsume(c)) throw Fail(label);
    }

    /// <summary>Spaces and tabs, which PostgREST allows around select items, commas and parentheses.</summary>
    public void SkipSpaces()
    {
        while (Pos < Text.Length && (Text[Pos] == ' ' || Text[Pos] == '\t')) Pos++;
    }

    public ParseFailure Fail(params string[] expected) => new(Pos, DescribeCurrent(), expected);

    /// <summary>
    /// Failure of an "end of this piece" check. Parsec reports those (eof, notFollowedBy) with the character
    /// in single quotes, e.g. <c>unexpected 't' expecting "," or end of input</c>; we keep that look.
    /// </summary>
    public ParseFailure FailEnd(params string[] expected) =>
        new(Pos, AtEnd ? "end of input" : "'" + Text[Pos] + "'", expected);

    /// <summary>Failure that names a whole word (e.g. an unknown operator) found at <paramref name="at"/>.</summary>
    public ParseFailure FailWord(int at, int length, params string[] expected) =>
        length <= 0
            ? new ParseFailure(at, Describe(at), expected)
            : new ParseFailure(at, Quote(Text.Substring(at, length)), expected);

    public string DescribeCurrent() => Describe(Pos);

    private string Describe(int at) => at >= Text.Length ? "end of input" : Quote(Text[at].ToString());

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Parsec's 1-based line and column of a position (newlines start a line, tabs jump to the next multiple of 8).</summary>
    public (int Line, int Column) LineColumn(int position)
    {
        int line = 1, column = 1;
        for (var i = 0; i < position && i < Text.Length; i++)
        {
            switch (Text[i])
            {
                case '\n': line++; column = 1; break;
                case '\t': column += 8 - ((column - 1) % 8); break;
                default: column++; break;
            }
        }
        return (line, column);
    }

    public static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';
}
