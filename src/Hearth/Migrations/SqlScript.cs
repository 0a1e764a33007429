namespace Hearth.Migrations;

/// <summary>What Hearth does with one statement of a migration or seed file.</summary>
public enum ScriptStatementKind
{
    /// <summary>Runs inside the file's transaction.</summary>
    Run,
    /// <summary>BEGIN, START TRANSACTION, COMMIT, END (also AND [NO] CHAIN): dropped — Hearth owns the file's transaction.</summary>
    TransactionControl,
    /// <summary>ROLLBACK / ABORT at the top level, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED: refused, it cannot mean "apply this file".</summary>
    Refused,
}

/// <summary>One statement of a script: its text (no terminating semicolon) and the 1-based line it starts on.</summary>
public sealed record ScriptStatement(string Text, int Line, ScriptStatementKind Kind);

/// <summary>
/// Splits a SQL script into top-level statements the way psql does, so that transaction-control statements
/// can be recognised and every statement's line is known. Grammar (PostgreSQL's lexical rules):
/// <code>
/// script     = { statement } ;
/// statement  = { token } ( ";" | end of text ) ;          (empty statements are dropped)
/// token      = space | line-comment | block-comment | string | e-string | dollar-string | quoted-ident | word | other ;
/// line-comment  = "--" { any but newline } ;
/// block-comment = "/*" { block-comment | any } "*/" ;     (nested, as in PostgreSQL)
/// string        = "'" { "''" | any but "'" } "'" ;         (also U&amp;'…', B'…', X'…', N'…': the prefix is a word)
/// e-string      = ("E" | "e") "'" { "\" any | "''" | any but "'" } "'" ;
/// dollar-string = "$" [ tag ] "$" { any } "$" [ tag ] "$" ;   (same tag; tag = letter or _, then letters, digits, _)
/// quoted-ident  = '"' { '""' | any but '"' } '"' ;
/// word          = (letter | "_") { letter | digit | "_" | "$" } ;
/// </code>
/// A semicolon does not end a statement inside the body of CREATE [OR REPLACE] FUNCTION/PROCEDURE ... BEGIN
/// ATOMIC ... END: there BEGIN and CASE open a block and END closes one (psql's rule). An unterminated string,
/// comment or quoted identifier simply runs to the end of the text; PostgreSQL reports the error when the
/// statement runs. Never throws.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<ScriptStatement> Split(string text)
    {
        var statements = new List<ScriptStatement>();
        var state = new StatementState();
        var line = 1;
        var start = -1; // offset of the current statement's first token
        var startLine = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && At(text, i + 1, '-'))
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '/' && At(text, i + 1, '*'))
            {
                i = SkipBlockComment(text, i, ref line);
                continue;
            }
            if (c == ';' && state.BlockDepth == 0)
            {
                if (start >= 0) statements.Add(Finish(text[start..i], startLine, state));
                start = -1;
                state = new StatementState();
                i++;
                continue;
            }
            if (start < 0) { start = i; startLine = line; }
            i = Token(text, i, ref line, state);
        }
        if (start >= 0) statements.Add(Finish(text[start..], startLine, state));
        return statements;
    }

    /// <summary>Consumes one token at <paramref name="i"/> (not a space, comment or top-level semicolon); returns the offset after it.</summary>
    private static int Token(string text, int i, ref int line, StatementState state)
    {
        var c = text[i];
        if (c == '\'') return SkipQuoted(text, i, '\'', backslashEscapes: false, ref line);
        if (c == '"') return SkipQuoted(text, i, '"', backslashEscapes: false, ref line);
        if (c == '$' && DollarTag(text, i) is { } tag) return SkipDollarString(text, i, tag, ref line);
        if (IsWordStart(c))
        {
            var end = i + 1;
            while (end < text.Length && IsWordPart(text[end])) end++;
            // E'…' (escape string): the word is exactly "E" followed by a quote.
            if (end - i == 1 && c is 'e' or 'E' && At(text, end, '\''))
                return SkipQuoted(text, end, '\'', backslashEscapes: true, ref line);
            state.Word(text[i..end]);
            return end;
        }
        state.Other();
        return i + 1;
    }

    private static ScriptStatement Finish(string statement, int line, StatementState state) =>
        new(statement.TrimEnd(), line, state.Kind());

    private static bool At(string text, int i, char c) => i < text.Length && text[i] == c;
    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_' || c > 127;
    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' || c > 127;

    private static int SkipBlockComment(string text, int i, ref int line)
    {
        var depth = 0;
        while (i < text.Length)
        {
            if (text[i] == '/' && At(text, i + 1, '*')) { depth++; i += 2; continue; }
            if (text[i] == '*' && At(text, i + 1, '/')) { depth--; i += 2; if (depth == 0) return i; continue; }
            if (text[i] == '\n') line++;
            i++;
        }
        return i;
    }

    private static int SkipQuoted(string text, int i, char quote, bool backslashEscapes, ref int line)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') line++;
            if (backslashEscapes && c == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] == '\n') line++;
                i += 2;
                continue;
            }
            if (c == quote)
            {
                if (At(text, i + 1, quote)) { i += 2; continue; } // doubled quote
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /// <summary>The opening "$tag$" at <paramref name="i"/>, or null when the dollar is not one (e.g. a $1 parameter).</summary>
    private static string? DollarTag(string text, int i)
    {
        var end = i + 1;
        if (end < text.Length && (char.IsLetter(text[end]) || text[end] == '_' || text[end] > 127))
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_' || text[end] > 127)) end++;
        return At(text, end, '$') ? text[i..(end + 1)] : null;
    }

    private static int SkipDollarString(string text, int i, string tag, ref int line)
    {
        var bodyStart = i + tag.Length;
        var close = text.IndexOf(tag, bodyStart, StringComparison.Ordinal);
        var end = close < 0 ? text.Length : close + tag.Length;
        for (var k = bodyStart; k < Math.Min(end, text.Length); k++) if (text[k] == '\n') line++;
        return end;
    }

    /// <summary>The words seen so far in one statement: enough to classify it and to track BEGIN ATOMIC blocks.</summary>
    private sealed class StatementState
    {
        private readonly List<string> _firstWords = new(4);
        private int _tokens;
        private bool _routine; // CREATE [OR REPLACE] FUNCTION | PROCEDURE
        public int BlockDepth { get; private set; }

        public void Word(string word)
        {
            _tokens++;
            if (_firstWords.Count < 4) _firstWords.Add(word.ToLowerInvariant());
            if (_firstWords.Count >= 2 && _tokens == _firstWords.Count) _routine = IsRoutineHeader();
            if (!_routine) return;
            if (word.Equals("begin", StringComparison.OrdinalIgnoreCase) || word.Equals("case", StringComparison.OrdinalIgnoreCase)) BlockDepth++;
            else if (word.Equals("end", StringComparison.OrdinalIgnoreCase) && BlockDepth > 0) BlockDepth--;
        }

        public void Other() => _tokens++;

        private bool IsRoutineHeader() => _firstWords switch
        {
            ["create", "function" or "procedure", ..] => true,
            ["create", "or", "replace", "function" or "procedure"] => true,
            _ => false,
        };

        public ScriptStatementKind Kind()
        {
            var words = _firstWords;
            if (words.Count == 0) return ScriptStatementKind.Run;
            return words[0] switch
            {
                // BEGIN [WORK | TRANSACTION] [modes], START TRANSACTION [modes], COMMIT/END [WORK | TRANSACTION] [AND [NO] CHAIN]
                "begin" or "commit" or "end" when words.Count < 2 || words[1] != "prepared" => ScriptStatementKind.TransactionControl,
                "start" when words.Count >= 2 && words[1] == "transaction" => ScriptStatementKind.TransactionControl,
                // ROLLBACK TO [SAVEPOINT] works inside Hearth's transaction; a plain ROLLBACK/ABORT would throw the file away.
                "rollback" when words.Count < 2 || words[1] != "to" => ScriptStatementKind.Refused,
                "abort" => ScriptStatementKind.Refused,
                "commit" => ScriptStatementKind.Refused, // COMMIT PREPARED
                "prepare" when words.Count >= 2 && words[1] == "transaction" => ScriptStatementKind.Refused,
                _ => ScriptStatementKind.Run,
            };
        }
    }
}
