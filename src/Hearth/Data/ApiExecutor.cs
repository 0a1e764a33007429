using System.Data;
using Hearth.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Data;

/// <summary>
/// Runs a request's statements on the API connections (<see cref="ApiDataSource"/>) in one round trip:
/// one statement sets the transaction-local settings (role, request.*), then the pre-request function,
/// then the request's own statements. Reads run in the batch's implicit transaction (sessions are
/// read-only by default); writes (and rollbacks) in an explicit READ WRITE / READ ONLY transaction that
/// ends once the response is known. The reader is handed to the caller while the transaction is open;
/// callers copy what they need out of it (bodies into a BufferedBody) and send it after this returns,
/// so the connection is back in the pool before any client is written to.
/// </summary>
public sealed class ApiExecutor(ApiDataSource api)
{
    public async Task ExecuteAsync(IReadOnlyList<SqlStatement> statements, TransactionSettings settings, bool readOnly, bool commit,
        Func<NpgsqlDataReader, CancellationToken, Task> consume, CancellationToken ct) =>
        await ExecuteAsync(statements, settings, readOnly, commit, async (reader, token) => { await consume(reader, token); return true; }, ct);

    /// <summary>Runs the statements; <paramref name="commit"/> false rolls a write back (Prefer: tx=rollback).</summary>
    public async Task<T> ExecuteAsync<T>(IReadOnlyList<SqlStatement> statements, TransactionSettings settings, bool readOnly, bool commit,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> consume, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var explicitTransaction = !readOnly || !commit;
        await using var batch = new NpgsqlBatch(conn);
        var setupResults = 0; // result sets to skip: BEGIN has none, the settings and pre-request one each
        if (explicitTransaction)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(readOnly ? "begin read only" : "begin read write"));
        else if (api.Pooled)
        {
            // No session default_transaction_read_only behind a pooler: the read makes itself read-only, in the same round trip.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select set_config('transaction_read_only', 'on', true)"));
            setupResults++;
        }
        if (settings.SettingsSql is { } settingsSql)
        {
            // A few texts only (which settings differ from the session's), so Npgsql prepares each once per connection.
            var setup = new NpgsqlBatchCommand(settingsSql);
            foreach (var value in settings.Values) setup.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(setup);
            setupResults++;
        }
        if (settings.PreRequestSql is { } preRequest)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(preRequest));
            setupResults++;
        }
        foreach (var statement in statements) batch.BatchCommands.Add(ToCommand(statement));

        try
        {
            T result;
            await using (var reader = await batch.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
            {
                for (var i = 0; i < setupResults; i++) await reader.NextResultAsync(ct);
                result = await consume(reader, ct);
            }
            if (explicitTransaction) await EndAsync(conn, commit, result, ct);
            return result;
        }
        catch (Exception e) when (conn.State == ConnectionState.Open)
        {
            // Nothing half-written: end the transaction before the connection goes back to the pool.
            if (explicitTransaction)
                try { await RunAsync(conn, "rollback", CancellationToken.None); } catch (NpgsqlException) { }
            // A failing statement makes PostgreSQL skip the rest of the batch, including statements Npgsql
            // was auto-preparing in it; its bookkeeping can then disagree with the server (npgsql#6391 and
            // kin: "unexpected backend message"). Starting the connection's prepared statements afresh is cheap
            // next to a desynchronised protocol.
            if (e is PostgresException)
                try { conn.UnprepareAll(); } catch (NpgsqlException) { } // no async variant; errors only
            throw;
        }
    }

    /// <summary>
    /// A connection from the API pool. When all are busy Npgsql waits up to its Timeout
    /// (--db-pool-acquisition-timeout), then throws "The connection pool has been exhausted…" with an inner
    /// TimeoutException: that, and only that, is PostgREST's 504 PGRST003. (A connect timeout also has an
    /// inner TimeoutException but another message: the database is unreachable, 503 PGRST000.)
    /// </summary>
    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await api.Source.OpenConnectionAsync(ct);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException && e is not PostgresException &&
                                        e.Message.StartsWith("The connection pool has been exhausted", StringComparison.Ordinal))
        {
            throw Response.ApiErrors.PoolTimeout();
        }
    }

    /// <summary>Commits (or rolls back); a result that holds resources (a buffered body) is freed if that fails.</summary>
    private static async Task EndAsync<T>(NpgsqlConnection conn, bool commit, T result, CancellationToken ct)
    {
        try
        {
            await RunAsync(conn, commit ? "commit" : "rollback", ct);
        }
        catch when (result is IAsyncDisposable)
        {
            await ((IAsyncDisposable)result).DisposeAsync();
            throw;
        }
    }

    private static async Task RunAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
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
