using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// Whether anything in the database may read the request.* settings (request.jwt.claims, .headers,
/// .cookies, .method, .path) or set response.headers/response.status. Read: any function body, policy,
/// view, column default or check constraint outside the system schemas that mentions "request.". Set:
/// any function body or function SET clause that mentions "response." (only functions — triggers and the
/// pre-request included — can set them). What nothing uses is neither sent nor read per request.
/// Conservative: any mention counts, even in a comment or an unrelated string.
/// </summary>
public static class SettingsUse
{
    public static async Task<(bool RequestContext, bool ResponseSettings)> DetectAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            with sys as (select oid from pg_namespace where nspname in ('pg_catalog', 'information_schema') or nspname like 'pg\_toast%'),
            procs as (select p.prosrc, coalesce(array_to_string(p.proconfig, ' '), '') as config from pg_proc p where p.pronamespace not in (select oid from sys))
            select exists (select 1 from procs where prosrc ilike '%request.%')
                or exists (select 1 from pg_policy pol
                           where coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '') ilike '%request.%')
                or exists (select 1 from pg_class c where c.relkind in ('v', 'm') and c.relnamespace not in (select oid from sys)
                           and pg_get_viewdef(c.oid) ilike '%request.%')
                or exists (select 1 from pg_attrdef d join pg_class c on c.oid = d.adrelid
                           where c.relnamespace not in (select oid from sys) and pg_get_expr(d.adbin, d.adrelid) ilike '%request.%')
                or exists (select 1 from pg_constraint k where k.contype = 'c' and k.connamespace not in (select oid from sys)
                           and pg_get_constraintdef(k.oid) ilike '%request.%'),
                   exists (select 1 from procs where prosrc ilike '%response.%' or config ilike '%response.%')
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }
}
