using System.Data;
using Hearth.Sql;
using Npgsql;

namespace Hearth.Data;

/// <summary>
/// Runs one API statement the way every request runs: its own transaction, the request's role set
/// transaction-locally, then the statement. The reader is handed to the caller while the transaction is open.
/// </summary>
public sealed class ApiExecutor(NpgsqlDataSource db)
{
    public async Task ExecuteAsync(SqlStatement statement, string role, bool readOnly,
        Func<NpgsqlDataReader, CancellationToken, Task> consume, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using var batch = new NpgsqlBatch(conn, tx);
        // set_config keeps the role a parameter; is_local = true scopes it to this transaction.
        var setup = new NpgsqlBatchCommand(readOnly
            ? "select set_config('role', $1, true), set_config('transaction_read_only', 'on', true)"
            : "select set_config('role', $1, true)");
        setup.Parameters.Add(new NpgsqlParameter { Value = role });
        batch.BatchCommands.Add(setup);
        var main = new NpgsqlBatchCommand(statement.Text);
        foreach (var value in statement.Parameters) main.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        batch.BatchCommands.Add(main);

        await using (var reader = await batch.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
        {
            await reader.NextResultAsync(ct); // skip the set_config row
            await consume(reader, ct);
        }
        await tx.CommitAsync(ct);
    }
}
