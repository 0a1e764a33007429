using System.Data;
using Hearth.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Data;

/// <summary>
/// Runs a request's statements the way every request runs: one transaction, the request's role set
/// transaction-locally, then the statements, all in one round trip. Reads use the batch's implicit
/// transaction (one Sync for all commands) and so need no COMMIT round trip; writes use an explicit one.
/// The reader is handed to the caller while the transaction is open, so bodies stream from PostgreSQL.
/// </summary>
public sealed class ApiExecutor(NpgsqlDataSource db)
{
    public async Task ExecuteAsync(IReadOnlyList<SqlStatement> statements, string role, bool readOnly, bool commit,
        Func<NpgsqlDataReader, CancellationToken, Task> consume, CancellationToken ct) =>
        await ExecuteAsync(statements, role, readOnly, commit, async (reader, token) => { await consume(reader, token); return true; }, ct);

    /// <summary>Runs the statements; <paramref name="commit"/> false rolls a write back (Prefer: tx=rollback).</summary>
    public async Task<T> ExecuteAsync<T>(IReadOnlyList<SqlStatement> statements, string role, bool readOnly, bool commit,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> consume, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = readOnly && commit ? null : await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using var batch = new NpgsqlBatch(conn, tx);
        // set_config keeps the role a parameter; is_local = true scopes it to this transaction.
        var setup = new NpgsqlBatchCommand(readOnly
            ? "select set_config('role', $1, true), set_config('transaction_read_only', 'on', true)"
            : "select set_config('role', $1, true)");
        setup.Parameters.Add(new NpgsqlParameter { Value = role });
        batch.BatchCommands.Add(setup);
        foreach (var statement in statements) batch.BatchCommands.Add(ToCommand(statement));

        T result;
        await using (var reader = await batch.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
        {
            await reader.NextResultAsync(ct); // past the set_config row
            result = await consume(reader, ct);
        }
        if (tx is not null)
        {
            if (commit) await tx.CommitAsync(ct);
            else await tx.RollbackAsync(ct);
        }
        return result;
    }

    private static NpgsqlBatchCommand ToCommand(SqlStatement statement)
    {
        var command = new NpgsqlBatchCommand(statement.Text);
        foreach (var p in statement.Parameters)
        {
            var parameter = new NpgsqlParameter { Value = p.Value ?? DBNull.Value };
            if (p.Untyped) parameter.NpgsqlDbType = NpgsqlDbType.Unknown;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
