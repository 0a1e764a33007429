using Hearth.Migrations;
using Hearth.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// Brings the database up before the HTTP server listens (embedded PostgreSQL unless --database-url,
/// roles, migrations, schema cache) and takes it down after the server has drained its requests.
/// </summary>
public sealed class DatabaseLifetime(
    HearthOptions options,
    NpgsqlDataSource db,
    Data.DatabasePools pools,
    Data.ApiDataSource api,
    Data.AuthDataSource auth,
    MigrationRunner migrations,
    SchemaCache schema,
    Data.ApiPoolSizing poolSizing,
    ILogger<DatabaseLifetime> logger,
    EmbeddedPostgres? embedded = null) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        // What startup is doing, for a one-line error if PostgreSQL refuses it (a missing privilege, a bad password).
        var step = "the connection";
        var external = embedded is null;
        try
        {
            if (embedded is not null)
            {
                await embedded.StartAsync(ct);
                await DatabaseRoles.EnsureAsync(db, options.AnonRole, ct);
            }
            else
            {
                step = $"the connection of {Who()}";
                await ExternalDatabaseChecks.CheckVersionAsync(db, ct);
                step = $"the privilege checks of {Who()}";
                await ExternalDatabaseChecks.CheckOwnerAsync(db, options, ct);
            }
            step = $"the Supabase baseline (as {Who()})";
            await Supabase.Baseline.EnsureAsync(db, options, embedded is not null, logger, ct);
            var version = await ServerVersionAsync(ct);
            logger.LogInformation("PostgreSQL {Version} ({Mode})", version,
                external ? "external, --database-url" + (options.AdminDatabaseUrl is null ? "" : " and --admin-database-url") : "embedded, data dir " + Path.GetFullPath(options.DataDir));
            step = $"the migrations (as {Who()})";
            var applied = await migrations.ApplyAsync(options.MigrationsDir, ct);
            if (options.MigrationsDir is not null)
                logger.LogInformation("Migrations: {Applied} applied from {Folder}", applied, options.MigrationsDir);
            if (external)
            {
                step = "the connection of --database-url's user";
                await ExternalDatabaseChecks.CheckAuthenticatorAsync(api.ConnectionString, options, logger, ct);
                step = "the auth server's access to its tables";
                await ExternalDatabaseChecks.CheckAuthServerAsync(auth.Source, options.SupabaseDir is not null, logger, ct);
            }
            step = "the connection limits";
            await poolSizing.SizeAsync(ct);
            step = "reading the schema";
            await Supabase.RlsAdvisor.WarnAsync(db, options, logger, ct);
            await schema.ReloadAsync(ct);
        }
        catch (Exception e)
        {
            // Never leave a postgres behind when startup fails half way (pools first: no noisy broken connections).
            ClearPools();
            if (embedded is not null) await embedded.StopAsync();
            if (e is NpgsqlException { InnerException: not PostgresException } && e is not PostgresException)
                throw new HearthStartupException("Could not connect to PostgreSQL: " + e.Message, e);
            // Outside the embedded server's own setup, a refusal is the user's to fix: one line, no stack trace.
            if (external && e is PostgresException refused)
                throw ExternalDatabaseChecks.Failed(step, refused);
            throw;
        }
    }

    /// <summary>Which flag's user the administrative connections log in as.</summary>
    private string Who() => options.AdminDatabaseUrl is null ? "--database-url's user" : "--admin-database-url's user";

    public async Task StopAsync(CancellationToken ct)
    {
        if (embedded is null) return;
        // Close pooled connections first so the fast shutdown does not have to terminate them.
        ClearPools();
        await embedded.StopAsync();
        logger.LogInformation("PostgreSQL stopped");
    }

    private void ClearPools() => pools.ClearAll();

    private async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("show server_version");
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
