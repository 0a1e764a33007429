using Hearth.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// PostgREST's db-channel: LISTEN on --db-channel (default pgrst) over a dedicated, unpooled connection.
/// `NOTIFY pgrst, 'reload schema'` (or an empty payload) and `NOTIFY pgrst, 'reload config'` ask
/// <see cref="SchemaReloader"/> for a reload; other payloads are ignored. In Hearth, configuration that can
/// change while running lives in the database (per-role settings, the roles requests may use) and is part
/// of the schema cache, so both reload it; flags, HEARTH_* variables and config.toml apply at restart.
/// When the connection drops (the database restarted), it reconnects with backoff and then reloads once,
/// since notifications sent meanwhile are lost (after dropping the pools' connections, dead by then). Embedded mode also installs <see cref="DdlEventTrigger"/>.
/// </summary>
public sealed class SchemaChangeListener(
    HearthOptions options,
    NpgsqlDataSource db,
    SchemaReloader reloader,
    Data.DatabasePools pools,
    ILogger<SchemaChangeListener> logger,
    DataDirLayout? layout = null) : BackgroundService
{
    public const string ReloadSchema = "reload schema";
    public const string ReloadConfig = "reload config";

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(attempt, 5)));

    private NpgsqlConnection? _first;
    private NpgsqlDataSource? _source;

    /// <summary>
    /// The trigger and the first LISTEN are in place before Hearth reports it is listening, so DDL run right
    /// after the ready line is never missed. A failure here is logged; the background loop keeps trying.
    /// </summary>
    public override async Task StartAsync(CancellationToken ct)
    {
        try
        {
            if (!options.DbChannelEnabled)
            {
                if (layout is not null) await DdlEventTrigger.RemoveAsync(db, ct);
                return;
            }
            if (layout is not null) await DdlEventTrigger.InstallAsync(db, options.DbChannel, ct);
            _first = await ListenAsync(ct);
            logger.LogInformation("Listening for schema reloads on channel {Channel}", options.DbChannel);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not listen on channel {Channel} yet ({Message}); retrying in the background", options.DbChannel, e.Message.Split('\n', 2)[0]);
        }
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var failures = _first is null ? 1 : 0;
        var conn = _first;
        _first = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    if (conn is null)
                    {
                        conn = await ListenAsync(ct);
                        logger.LogInformation("Listening on channel {Channel} again", options.DbChannel);
                        pools.ClearAll(); // the database went away: every pooled connection is dead too
                        reloader.Request("the listener reconnected; notifications may have been missed");
                        failures = 0;
                    }
                    while (true) await conn.WaitAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    if (failures == 0)
                        logger.LogWarning("Lost the connection listening on channel {Channel} ({Message}); reconnecting", options.DbChannel, e.Message.Split('\n', 2)[0]);
                    if (conn is not null) await conn.DisposeAsync();
                    conn = null;
                    await Task.Delay(Backoff(failures++), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (conn is not null) await conn.DisposeAsync();
            if (_source is not null) await _source.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var conn = (_source ??= BuildSource()).CreateConnection();
        try
        {
            await conn.OpenAsync(ct);
            conn.Notification += (_, e) =>
            {
                switch (e.Payload)
                {
                    case "" or ReloadSchema:
                        reloader.Request($"NOTIFY {options.DbChannel} '{ReloadSchema}'");
                        break;
                    case ReloadConfig:
                        reloader.Request($"NOTIFY {options.DbChannel} '{ReloadConfig}': role settings and API roles");
                        break;
                }
            };
            await using var listen = new NpgsqlCommand("listen " + Sql.SqlText.Ident(options.DbChannel), conn);
            await listen.ExecuteNonQueryAsync(ct);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// It only runs LISTEN: loading the server's types (Npgsql's catalog query on a data source's first
    /// connection) would only delay startup.
    /// </summary>
    private NpgsqlDataSource BuildSource()
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString());
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        return builder.Build();
    }

    /// <summary>A connection of its own, outside the pools: it is held for as long as Hearth runs.</summary>
    private string ConnectionString()
    {
        // The owner's URL when given: LISTEN needs a session of its own, which a transaction pooler in front of
        // --database-url does not keep (notifications would be lost); the admin URL goes straight to PostgreSQL.
        var source = (options.AdminDatabaseUrl ?? options.DatabaseUrl) is { } url ? Data.ConnectionStrings.FromUserInput(url) : layout!.ConnectionString;
        return new NpgsqlConnectionStringBuilder(source)
        {
            ApplicationName = "hearth listener",
            Pooling = false,
            // Noticed within seconds when a TCP peer vanishes without closing (a database host that rebooted).
            KeepAlive = 10,
            Timeout = 5,
        }.ConnectionString;
    }
}
