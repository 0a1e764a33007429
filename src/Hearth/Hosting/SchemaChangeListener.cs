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

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            if (!options.DbChannelEnabled)
            {
                if (layout is not null) await DdlEventTrigger.RemoveAsync(db, ct);
                return;
            }
            if (layout is not null) await DdlEventTrigger.InstallAsync(db, options.DbChannel, ct);
            var failures = 0;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await ListenAsync(reconnected: failures > 0, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    if (failures == 0)
                        logger.LogWarning("Lost the connection listening on channel {Channel} ({Message}); reconnecting", options.DbChannel, e.Message.Split('\n', 2)[0]);
                    await Task.Delay(Backoff(failures++), ct);
                    continue;
                }
                failures = 0;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is NpgsqlException && !ct.IsCancellationRequested)
        {
            // Only the event trigger's installation (or removal) gets here: reloads still work by NOTIFY and signals.
            logger.LogWarning("Could not install the DDL event trigger ({Message}); live reload needs NOTIFY {Channel} or SIGUSR1", e.Message, options.DbChannel);
        }
    }

    private async Task ListenAsync(bool reconnected, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionString());
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
        await using (var listen = new NpgsqlCommand("listen " + Sql.SqlText.Ident(options.DbChannel), conn))
            await listen.ExecuteNonQueryAsync(ct);
        if (reconnected)
        {
            logger.LogInformation("Listening on channel {Channel} again", options.DbChannel);
            pools.ClearAll(); // the database went away: every pooled connection is dead too
            reloader.Request("the listener reconnected; notifications may have been missed");
        }
        else logger.LogInformation("Listening for schema reloads on channel {Channel}", options.DbChannel);
        while (true) await conn.WaitAsync(ct);
    }

    /// <summary>A connection of its own, outside the pools: it is held for as long as Hearth runs.</summary>
    private string ConnectionString()
    {
        var source = options.DatabaseUrl is { } url ? Data.ConnectionStrings.FromUserInput(url) : layout!.ConnectionString;
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
