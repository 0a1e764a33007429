using Hearth.Migrations;

namespace Hearth.Tests.Migrations;

/// <summary>The migration lexer: statements, lines, and which statements are transaction control.</summary>
public class SqlScriptTests
{
    private static List<(string Text, int Line, ScriptStatementKind Kind)> Split(string sql) =>
        SqlScript.Split(sql).Select(s => (s.Text, s.Line, s.Kind)).ToList();

    [Test]
    public async Task Splits_at_top_level_semicolons_and_knows_each_line()
    {
        var statements = Split("create table a (id int);\n\n-- comment; not a statement\ninsert into a values (1);\nselect 1");
        await Assert.That(string.Join(" | ", statements)).IsEqualTo(string.Join(" | ", new[]
        {
            ("create table a (id int)", 1, ScriptStatementKind.Run),
            ("insert into a values (1)", 4, ScriptStatementKind.Run),
            ("select 1", 5, ScriptStatementKind.Run),
        }));
    }

    [Test]
    public async Task Semicolons_inside_strings_identifiers_comments_and_dollar_quotes_do_not_split()
    {
        const string sql = """
            select 'a;b', E'c\';d', "e;f", $$g;h$$, $tag$ i; $$ j; $tag$ /* k; /* nested; */ l; */ from t;
            select U&'m;n', 'it''s;';
            """;
        var statements = Split(sql);
        await Assert.That(statements.Count).IsEqualTo(2);
        await Assert.That(statements[1].Line).IsEqualTo(2);
        await Assert.That(statements[0].Text).EndsWith("from t");
    }

    [Test]
    public async Task A_begin_atomic_body_is_one_statement()
    {
        var statements = Split("""
            create or replace function f() returns int language sql
            begin atomic
              select case when true then 1 else 2 end;
              select 2;
            end;
            select f();
            """);
        await Assert.That(statements.Count).IsEqualTo(2);
        await Assert.That(statements[0].Text).EndsWith("end");
        await Assert.That(statements[1]).IsEqualTo(("select f()", 6, ScriptStatementKind.Run));
    }

    [Test]
    public async Task Transaction_control_is_recognised_and_rollback_is_refused()
    {
        var kinds = Split("BEGIN; begin transaction isolation level serializable; start transaction; commit; END; commit and chain; " +
                          "savepoint s; rollback to savepoint s; release s; rollback; abort; prepare transaction 'x'; commit prepared 'x'; " +
                          "begin_x; do $$ begin commit; end $$")
            .Select(s => s.Kind).ToList();
        await Assert.That(string.Join(",", kinds)).IsEqualTo(string.Join(",", new[]
        {
            ScriptStatementKind.TransactionControl, ScriptStatementKind.TransactionControl, ScriptStatementKind.TransactionControl,
            ScriptStatementKind.TransactionControl, ScriptStatementKind.TransactionControl, ScriptStatementKind.TransactionControl,
            ScriptStatementKind.Run, ScriptStatementKind.Run, ScriptStatementKind.Run,
            ScriptStatementKind.Refused, ScriptStatementKind.Refused, ScriptStatementKind.Refused, ScriptStatementKind.Refused,
            ScriptStatementKind.Run, ScriptStatementKind.Run,
        }));
    }

    [Test]
    public async Task Lines_count_newlines_inside_strings_and_comments()
    {
        var statements = Split("select 'a\nb';\n/* x\ny */ select $$\n$$;\nselect E'\\\n';\nselect 3");
        await Assert.That(string.Join(",", statements.Select(s => s.Line))).IsEqualTo("1,4,6,8");
    }

    [Test]
    public async Task Unterminated_quotes_run_to_the_end_without_throwing()
    {
        foreach (var sql in new[] { "select 'abc; select 1", "select \"x; y", "select $q$ never closed; x", "/* open; comment", "select E'\\" })
            await Assert.That(SqlScript.Split(sql).Count).IsLessThanOrEqualTo(1);
    }

    /// <summary>Random text never throws, and the statements are always non-empty slices of the input, in order.</summary>
    [Test]
    public async Task Random_scripts_split_without_exceptions()
    {
        const string alphabet = "abegin ATOMICcaseEND;;'\"$$tag/**/--\n\\E()ú \t";
        var random = new Random(20241130);
        var failures = new List<string>();
        for (var i = 0; i < 20000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            try
            {
                var position = 0;
                foreach (var s in SqlScript.Split(text))
                {
                    var at = text.IndexOf(s.Text, position, StringComparison.Ordinal);
                    if (s.Text.Length == 0 || at < 0 || s.Line < 1) { failures.Add($"bad statement '{s.Text}' in {text}"); break; }
                    position = at + s.Text.Length;
                }
            }
            catch (Exception e) { failures.Add($"{e.GetType().Name} for {text}"); }
        }
        await Assert.That(failures).IsEmpty();
    }

    /// <summary>Joining valid statements with ";" and splitting gives them back, whatever comments sit between.</summary>
    [Test]
    public async Task Known_statements_round_trip_through_random_separators()
    {
        string[] pool =
        [
            "select 'a;b'", "select $x$;$x$", "create function f() returns int language sql begin atomic select 1; end",
            "select \"q;\"\"\"", "select E'\\';'", "insert into t values (1)", "select 1 /* ; */ + 2",
        ];
        string[] separators = [";", ";\n", "; -- c;\n", ";/* ; */", " ;\n\n"];
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var chosen = Enumerable.Range(0, random.Next(1, 6)).Select(_ => pool[random.Next(pool.Length)]).ToList();
            var text = string.Concat(chosen.Select(s => s + separators[random.Next(separators.Length)]));
            await Assert.That(string.Join("\u0001", SqlScript.Split(text).Select(s => s.Text))).IsEqualTo(string.Join("\u0001", chosen));
        }
    }
}
