using System.Data;
using Hearth.Data;
using Hearth.Schema;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// Runs a storage operation's SQL on the API connections as a principal: one transaction that starts with
/// the REST API's own settings statement (<see cref="TransactionSettings"/>: role, its settings,
/// request.jwt.claims, request.*), so the policies on storage.objects and storage.buckets decide exactly as
/// they would for a REST call with the same token.
/// </summary>
public sealed class StorageDatabase(ApiDataSource api, SchemaCache schema, HearthOptions options)
{
    private readonly SessionDefaults _session = options.SessionDefaults();

    public async Task<T> RunAsync<T>(HttpContext ctx, StoragePrincipal who, bool write, Func<NpgsqlConnection, CancellationToken, Task<T>> work,
        bool commit = true, bool finishEvenIfAborted = false)
    {
        // A write that completes an upload must not be cancelled half way through its commit: the client
        // leaving then cannot tell us whether the row exists, and the file must stay if it might.
        var ct = finishEvenIfAborted ? CancellationToken.None : ctx.RequestAborted;
        var model = schema.Current;
        // The role reaches set_config only from the closed set of roles the authenticator may become.
        if (model.Roles is { } roles && !roles.CanSwitchTo(who.Role))
            throw StorageErrors.AccessDenied($"role \"{who.Role}\" does not exist or may not be used");
        var facts = RequestFacts.Of(ctx.Request, _session.SearchPath, who.Role, who.ClaimsJson, who.Role != options.AnonRole);
        var settings = TransactionSettings.For(facts, _session, model.RoleSettings.GetValueOrDefault(who.Role) ?? [], null, model.UsesRequestContext);

        await using var conn = await OpenAsync(ct);
        await using (var batch = new NpgsqlBatch(conn))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(write ? "begin read write" : "begin read only"));
            if (settings.SettingsSql is { } sql)
            {
                var setup = new NpgsqlBatchCommand(sql);
                foreach (var value in settings.Values) setup.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                batch.BatchCommands.Add(setup);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        try
        {
            var result = await work(conn, ct);
            await using var end = new NpgsqlCommand(commit ? "commit" : "rollback", conn);
            await end.ExecuteNonQueryAsync(ct);
            return result;
        }
        catch when (conn.State == ConnectionState.Open)
        {
            // Nothing half-written: end the transaction before the connection goes back to the pool.
            try
            {
                await using var rollback = new NpgsqlCommand("rollback", conn);
                await rollback.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException) { }
            throw;
        }
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try { return await api.Source.OpenConnectionAsync(ct); }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException && e is not PostgresException)
        {
            throw StorageErrors.DatabaseTimeout();
        }
    }
}
