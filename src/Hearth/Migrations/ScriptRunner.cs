using Npgsql;

namespace Hearth.Migrations;

/// <summary>
/// Runs one migration or seed file inside a transaction the caller owns: statement by statement (so a
/// failure names its line), with the file's own BEGIN/COMMIT dropped — the caller's transaction makes the
/// file atomic together with its record in hearth.*. Every failure becomes one MigrationException line:
/// file, line, PostgreSQL's message.
/// </summary>
public static class ScriptRunner
{
    public static async Task RunAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string fileName, string sql, CancellationToken ct)
    {
        foreach (var statement in SqlScript.Split(sql))
        {
            switch (statement.Kind)
            {
                case ScriptStatementKind.TransactionControl:
                    continue;
                case ScriptStatementKind.Refused:
                    throw new MigrationException(
                        $"{fileName}:{statement.Line}: '{FirstLine(statement.Text)}' cannot run in a migration: Hearth runs each file in one transaction " +
                        "(its own BEGIN/COMMIT are ignored) and a file is applied whole or not at all. Remove the statement.");
            }
            try
            {
                // A batch command is sent as written: Npgsql does not split it at semicolons (which would
                // break BEGIN ATOMIC bodies); the statement was already delimited by SqlScript.
                await using var batch = new NpgsqlBatch(conn, tx) { BatchCommands = { new NpgsqlBatchCommand(statement.Text) } };
                await batch.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e)
            {
                throw new MigrationException(Describe(fileName, statement, e), e);
            }
        }
    }

    /// <summary>"file:line: message [SQLSTATE x]. Detail/Hint", on one line.</summary>
    public static string Describe(string fileName, ScriptStatement statement, PostgresException e)
    {
        var line = statement.Line + LinesBefore(statement.Text, e.Position);
        var extra = string.Concat(
            e.Detail is { Length: > 0 } d ? $" Detail: {d}" : "",
            e.Hint is { Length: > 0 } h ? $" Hint: {h}" : "",
            e.SqlState == PostgresErrorCodes.ActiveSqlTransaction
                ? " Hearth runs each migration file in one transaction, so this statement cannot be in a migration; run it outside Hearth's migrations (for CREATE INDEX, drop CONCURRENTLY)."
                : "");
        return OneLine($"{fileName}:{line}: {e.MessageText} [SQLSTATE {e.SqlState}].{extra}");
    }

    /// <summary>Newlines before PostgreSQL's 1-based error position in the statement (0 when it gave none).</summary>
    private static int LinesBefore(string statement, int position) =>
        position <= 0 ? 0 : statement.AsSpan(0, Math.Min(statement.Length, position - 1)).Count('\n');

    private static string FirstLine(string text)
    {
        var first = text.Split('\n', 2)[0].Trim();
        return first.Length > 60 ? first[..60] + "…" : first;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
