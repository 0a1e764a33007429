using Hearth.Errors;
using System.Data;
using Hearth.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Data;

/// <summary>
/// Runs a request's statements on the API connections (<see cref="ApiDataSource"/>) in one round trip:
/// one statement sets the transaction-local settings (role, request.*), then the pre-request function,
/// then the request's own statements. Reads run in the batch's implicit transaction (sessions are
/// read-only by default); writes (and rollbacks) in an explicit READ WRITE / READ ONLY transaction. When
/// nothing can refuse the result once the statement ran (no check, no response.* to validate, or a
/// rollback anyway), its COMMIT/ROLLBACK goes in the same batch: one round trip, as for a read. Otherwise
/// it ends in a second round trip, once the result is decoded and checked. The result (its body copied
/// into a BufferedBody) is sent after this returns, so the connection is back in the pool before any
/// client is written to.
/// </summary>
public sealed class ApiExecutor(ApiDataSource api)
{
    /// <summary>
    /// Runs the query and decodes its result. <paramref name="check"/> runs on the result while the
    /// transaction is still open: what it throws rolls a write back (max-affected, singular objects).
    /// </summary>
    /// <param name="values">The request's values, sent for the statements' open parameters.</param>
    /// <param name="readBody">False for HEAD: the body column is not read.</param>
    public async Task<ApiResult> ExecuteAsync(ApiQuery query, RequestValues values, TransactionSettings settings, TransactionMode mode, bool readBody,
        Action<ApiResult>? check, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var explicitTransaction = !mode.ReadOnly || !mode.Commit;
        // A statement error makes PostgreSQL skip the rest of the batch, so a batched COMMIT never commits a failed write.
        var endInBatch = explicitTransaction && (!mode.Commit || check is null && !query.ReadsResponseSettings);
        // Result sets to skip before the query's: BEGIN has none; the read-only switch, the settings and pre-request one each.
        var setupResults = (!explicitTransaction && api.Pooled ? 1 : 0) + (settings.SettingsSql is null ? 0 : 1) + (settings.PreRequestSql is null ? 0 : 1);
        // The common read is its statement alone: then a plain command, Npgsql's cheapest path (no batch objects).
        var alone = !explicitTransaction && setupResults == 0 && query.PlannedCount is null;
        await using var command = alone ? WithParameters(new NpgsqlCommand(query.Main.Text, conn), query.Main, values) : null;
        await using var batch = alone ? null : Batch(conn, query, values, settings, mode, explicitTransaction, endInBatch);

        try
        {
            ApiResult result;
            await using (var reader = command is not null
                             ? await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct)
                             : await batch!.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
            {
                for (var i = 0; i < setupResults; i++) await reader.NextResultAsync(ct);
                result = await ResultDecoder.DecodeAsync(reader, query, readBody, ct);
                if (endInBatch)
                    try
                    {
                        await reader.NextResultAsync(ct); // the COMMIT's outcome (a deferred constraint fails here)
                    }
                    catch
                    {
                        await result.DisposeAsync();
                        throw;
                    }
            }
            try
            {
                check?.Invoke(result);
                if (explicitTransaction && !endInBatch) await RunAsync(conn, mode.Commit ? "commit" : "rollback", ct);
            }
            catch
            {
                await result.DisposeAsync();
                throw;
            }
            return result;
        }
        catch (PostgresException e) when (!PostgresErrors.MeansDatabaseDown(e.SqlState))
        {
            await AbandonAsync(conn, explicitTransaction, e);
            // Named here, where who ran the statement is known: 401 or 403 for a permission error.
            throw new ApiException(PostgresErrors.ToApiError(e, settings.Authenticated), e);
        }
        catch (Exception e)
        {
            await AbandonAsync(conn, explicitTransaction, e);
            throw;
        }
    }

    /// <summary>BEGIN (or the pooled read's read-only switch), the settings, the pre-request call, the query, and the COMMIT/ROLLBACK when it can go in the same round trip.</summary>
    private NpgsqlBatch Batch(NpgsqlConnection conn, ApiQuery query, RequestValues values, TransactionSettings settings, TransactionMode mode, bool explicitTransaction, bool endInBatch)
    {
        var batch = new NpgsqlBatch(conn);
        if (explicitTransaction)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(mode.ReadOnly ? "begin read only" : "begin read write"));
        else if (api.Pooled)
            // No session default_transaction_read_only behind a pooler: the read makes itself read-only, in the same round trip.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select set_config('transaction_read_only', 'on', true)"));
        if (settings.SettingsSql is { } settingsSql)
        {
            // A few texts only (which settings differ from the session's), so Npgsql prepares each once per connection.
            var setup = new NpgsqlBatchCommand(settingsSql);
            foreach (var value in settings.Values) setup.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(setup);
        }
        if (settings.PreRequestSql is { } preRequest) batch.BatchCommands.Add(new NpgsqlBatchCommand(preRequest));
        if (query.PlannedCount is { } planned) batch.BatchCommands.Add(ToCommand(planned, values));
        batch.BatchCommands.Add(ToCommand(query.Main, values));
        if (endInBatch) batch.BatchCommands.Add(new NpgsqlBatchCommand(mode.Commit ? "commit" : "rollback"));
        return batch;
    }

    /// <summary>After a failure: end the transaction and forget prepared statements before the connection goes back.</summary>
    private static async Task AbandonAsync(NpgsqlConnection conn, bool explicitTransaction, Exception e)
    {
        if (conn.State != ConnectionState.Open) return;
        // Nothing half-written: end the transaction before the connection goes back to the pool.
        if (explicitTransaction)
            try { await RunAsync(conn, "rollback", CancellationToken.None); } catch (NpgsqlException) { }
        // A failing statement makes PostgreSQL skip the rest of the batch, including statements Npgsql
        // was auto-preparing in it; its bookkeeping can then disagree with the server (npgsql#6391 and
        // kin: "unexpected backend message"). Starting the connection's prepared statements afresh is cheap
        // next to a desynchronised protocol.
        if (e is PostgresException)
            try { conn.UnprepareAll(); } catch (NpgsqlException) { } // no async variant; errors only
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
            throw Errors.ApiErrors.PoolTimeout();
        }
    }

    private static async Task RunAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand ToCommand(SqlStatement statement, RequestValues values)
    {
        var command = new NpgsqlBatchCommand(statement.Text);
        AddParameters(command.Parameters, statement, values);
        return command;
    }

    private static NpgsqlCommand WithParameters(NpgsqlCommand command, SqlStatement statement, RequestValues values)
    {
        AddParameters(command.Parameters, statement, values);
        return command;
    }

    /// <summary>The statement's parameters, open ones filled from <paramref name="values"/> right here (no bound copy of the statement).</summary>
    private static void AddParameters(NpgsqlParameterCollection target, SqlStatement statement, RequestValues values)
    {
        var parameters = statement.Parameters;
        for (var i = 0; i < parameters.Count; i++) // no enumerator: this runs for every statement
        {
            var (value, untyped) = parameters[i].For(values);
            var parameter = new NpgsqlParameter { Value = value ?? DBNull.Value };
            if (untyped) parameter.NpgsqlDbType = NpgsqlDbType.Unknown;
            target.Add(parameter);
        }
    }
}

/// <summary>How a request's transaction runs and ends: read-only or not; commit, or roll back (Prefer: tx=rollback, --db-tx-end).</summary>
public readonly record struct TransactionMode(bool ReadOnly, bool Commit);
