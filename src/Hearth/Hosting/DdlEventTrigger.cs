using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// Embedded mode: an event trigger that sends NOTIFY &lt;--db-channel&gt;, 'reload schema' after every DDL
/// statement (ddl_command_end fires for DROP too), so a table created in psql or a migration is served without a restart. It lives in Hearth's
/// own `hearth` schema, owned by the owner role (postgres). Statements that only touch temporary objects
/// or the `hearth` schema do not notify. (Roles are not DDL: after ALTER ROLE, NOTIFY as with PostgREST.) Inside one transaction PostgreSQL folds identical notifications into one; bursts across
/// transactions are coalesced by <see cref="Schema.SchemaReloader"/>.
/// </summary>
public static class DdlEventTrigger
{
    public static async Task InstallAsync(NpgsqlDataSource db, string channel, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The channel is the operator's setting; format(%L) quotes it into the function body server-side.
        await using (var make = new NpgsqlCommand("""
            select format($f$
              create or replace function hearth.notify_ddl() returns event_trigger language plpgsql as $body$
              begin
                -- Drops leave no rows here; other commands are skipped when they only touched temporary
                -- objects or Hearth's own bookkeeping (its migrations table), or did nothing (IF NOT EXISTS).
                if tg_tag not like 'DROP%%' and not exists (
                     select 1 from pg_event_trigger_ddl_commands()
                     where schema_name is null or (schema_name not like 'pg\_temp%%' and schema_name <> 'hearth')) then
                  return;
                end if;
                perform pg_notify(%L, 'reload schema');
              end
              $body$
              $f$, $1::text)
            """, conn, tx))
        {
            make.Parameters.Add(new NpgsqlParameter { Value = channel });
            var sql = (string)(await make.ExecuteScalarAsync(ct))!;
            // Usually in place from the last start: then nothing is written (no commit to wait for).
            if (await InstalledAsync(conn, tx, sql, ct))
            {
                await tx.CommitAsync(ct);
                return;
            }
            await Exec(conn, tx, "create schema if not exists hearth", ct);
            await Exec(conn, tx, sql, ct);
        }
        await Exec(conn, tx, """
            drop event trigger if exists hearth_notify_ddl;
            create event trigger hearth_notify_ddl on ddl_command_end execute function hearth.notify_ddl();
            """, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Whether the trigger is enabled and calls exactly the function <paramref name="functionSql"/> defines.</summary>
    private static async Task<bool> InstalledAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string functionSql, CancellationToken ct)
    {
        const string quote = "$body$";
        var from = functionSql.IndexOf(quote, StringComparison.Ordinal) + quote.Length;
        var body = functionSql[from..functionSql.LastIndexOf(quote, StringComparison.Ordinal)];
        await using var cmd = new NpgsqlCommand("""
            select exists(select 1 from pg_event_trigger t join pg_proc p on p.oid = t.evtfoid join pg_namespace n on n.oid = p.pronamespace
                          where t.evtname = 'hearth_notify_ddl' and t.evtevent = 'ddl_command_end' and t.evtenabled = 'O'
                            and n.nspname = 'hearth' and p.proname = 'notify_ddl' and p.prosrc = $1)
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = body });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>--db-channel-enabled=false: nothing listens, so nothing should notify.</summary>
    public static async Task RemoveAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await Exec(conn, null, "drop event trigger if exists hearth_notify_ddl", ct);
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
