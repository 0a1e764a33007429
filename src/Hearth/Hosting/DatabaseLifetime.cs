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
    MigrationRunner migrations,
    SchemaCache schema,
    ILogger<DatabaseLifetime> logger,
    EmbeddedPostgres? embedded = null) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            if (embedded is not null)
            {
                await embedded.StartAsync(ct);
                await DatabaseRoles.EnsureAsync(db, options.AnonRole, ct);
            }
            await Supabase.Baseline.EnsureAsync(db, options, embedded is not null, logger, ct);
            var version = await ServerVersionAsync(ct);
            logger.LogInformation("PostgreSQL {Version} ({Mode})", version,
                embedded is null ? "external, --database-url" : "embedded, data dir " + Path.GetFullPath(options.DataDir));
            var applied = await migrations.ApplyAsync(options.MigrationsDir, ct);
            if (options.MigrationsDir is not null)
                logger.LogInformation("Migrations: {Applied} applied from {Folder}", applied, options.MigrationsDir);
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
            throw;
        }
    }

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
