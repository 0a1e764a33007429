using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Data;

/// <summary>
/// Startup step once the database is up, before the API pool's first connection (DatabaseLifetime runs it
/// before the schema load, whose role check is that first connection — a pool resized later would be a
/// new one, paying Npgsql's type loading again on the first request): sizes the API pool from the
/// server's connection limits.
/// Embedded: --db-pool, capped at what a non-superuser can get, else that less some headroom.
/// --database-url: --db-pool or PostgREST's 10, as given (others share that server); a warning when it
/// cannot fit.
/// </summary>
public sealed class ApiPoolSizing(HearthOptions options, NpgsqlDataSource admin, ApiDataSource api, ILogger<ApiPoolSizing> logger)
{
    public async Task SizeAsync(CancellationToken ct)
    {
        var limits = await ReadLimitsAsync(ct);
        var available = PoolSizing.Available(limits);
        var embedded = options.DatabaseUrl is null;
        int size;
        if (!embedded) size = options.DbPool ?? PoolSizing.ExternalDefault;
        else if (options.DbPool is { } asked && asked > available)
        {
            logger.LogWarning("--db-pool {Asked} is more than PostgreSQL allows (max_connections {Max}): using {Available}", asked, limits.MaxConnections, available);
            size = Math.Max(1, available);
        }
        else size = options.DbPool ?? PoolSizing.EmbeddedDefault(limits);
        if (!embedded && size > available)
            logger.LogWarning("--db-pool {Size} is more than the server's max_connections {Max} leaves for non-superusers: requests may fail with 53300",
                size, limits.MaxConnections);
        else if (!embedded && await OpenConnectionsAsync(ct) is var open && open + size > available)
            // Several instances share the server: what this one may add on top of what is open now must fit.
            logger.LogWarning("Connection budget: this instance may open {Size} API connections and {Open} connections are open on the server; " +
                "max_connections {Max} leaves {Available} for non-superusers besides Hearth's admin and auth pools: requests may fail with 53300. " +
                "Lower --db-pool on each instance, raise max_connections, or put PgBouncer in front (--db-prepared-statements false)",
                size, open, limits.MaxConnections, available);
        await api.ResizeAsync(size);
        logger.LogInformation("API connection pool: {Size} connections (max_connections {Max}, {SuperuserReserved} + {Reserved} reserved, {Admin} admin, {Auth} auth server), " +
            "acquisition timeout {Timeout} s", size, limits.MaxConnections, limits.SuperuserReserved, limits.Reserved, PoolSizing.AdminPoolSize, PoolSizing.AuthPoolSize,
            options.DbPoolAcquisitionTimeoutSeconds);
    }

    /// <summary>Client connections open on the server now (other instances' pools included; pg_stat_activity shows every role's count).</summary>
    private async Task<int> OpenConnectionsAsync(CancellationToken ct)
    {
        await using var cmd = admin.CreateCommand("select count(*)::int from pg_stat_activity where backend_type = 'client backend'");
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<ServerLimits> ReadLimitsAsync(CancellationToken ct)
    {
        // reserved_connections exists from PostgreSQL 16 on; current_setting(…, true) is null before.
        await using var cmd = admin.CreateCommand("""
            select current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int,
                   coalesce(current_setting('reserved_connections', true)::int, 0)
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ServerLimits(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }
}
