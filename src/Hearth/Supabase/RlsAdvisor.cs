using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Supabase;

/// <summary>
/// Supabase projects rely on row-level security alone (the API roles get every table by default), so —
/// as Supabase's security advisor does — warn, once per table at startup, about exposed tables that anon
/// or authenticated can use while RLS is off: every row is open to every client holding the anon key.
/// </summary>
public static class RlsAdvisor
{
    public static async Task WarnAsync(NpgsqlDataSource db, HearthOptions options, ILogger logger, CancellationToken ct)
    {
        if (options.SupabaseDir is null) return;
        await using var cmd = db.CreateCommand("""
            select format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p') and not c.relrowsecurity and n.nspname = any($1)
              and exists (select 1 from pg_roles r where r.rolname in ('anon', 'authenticated')
                          and has_table_privilege(r.oid, c.oid, 'select, insert, update, delete'))
            order by 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = options.Schemas.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            logger.LogWarning("Table {Table} is exposed to anon/authenticated with row-level security disabled: every client with the anon key can read and change all its rows. Enable RLS (alter table … enable row level security) and add policies.",
                reader.GetString(0));
    }
}
