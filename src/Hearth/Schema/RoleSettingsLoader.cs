using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// Per-role settings (ALTER ROLE anon SET statement_timeout = '3s'). PostgreSQL applies them at login only,
/// and API requests switch roles inside a session, so Hearth applies them per transaction, as PostgREST does.
/// Only settings a role may change itself (context 'user') are kept; a database-specific one wins over a global one.
/// </summary>
public static class RoleSettingsLoader
{
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>> LoadAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select r.rolname, s.name, s.value
            from pg_db_role_setting d
            join pg_roles r on r.oid = d.setrole
            cross join lateral (
              select split_part(c, '=', 1) as name, substr(c, strpos(c, '=') + 1) as value from unnest(d.setconfig) as c
            ) as s
            join pg_settings p on p.name = s.name and p.context = 'user'
            where d.setdatabase in (0, (select oid from pg_database where datname = current_database()))
            order by r.rolname, d.setdatabase, s.name
            """, conn);
        var byRole = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var role = reader.GetString(0);
            if (!byRole.TryGetValue(role, out var settings)) byRole[role] = settings = new(StringComparer.Ordinal);
            settings[reader.GetString(1)] = reader.GetString(2); // ordered by database: the specific one comes last
        }
        return byRole.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<KeyValuePair<string, string>>)kv.Value.ToList(), StringComparer.Ordinal);
    }
}
