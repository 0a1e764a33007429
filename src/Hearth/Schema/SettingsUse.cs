using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// Whether anything in the database may read the request.* settings (request.jwt.claims, .headers,
/// .cookies, .method, .path) or set response.headers/response.status. Read: any function body, policy,
/// view, column default or check constraint outside the system schemas that mentions "request.". Set:
/// any function body or function SET clause that mentions "response." (only functions — triggers and the
/// pre-request included — can set them). What nothing uses is neither sent nor read per request.
/// Conservative: any mention counts, even in a comment or an unrelated string.
/// The Supabase baseline's helpers (auth.uid(), auth.role(), auth.jwt(), auth.email()) read request.* but
/// exist in every embedded database; they count only when something outside the system schemas calls
/// them (a policy, a function, a view, …), so a database that never uses them keeps the fast path.
/// </summary>
public static class SettingsUse
{
    public static async Task<(bool RequestContext, bool ResponseSettings)> DetectAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            with sys as (select oid from pg_namespace where nspname in ('pg_catalog', 'information_schema') or nspname like 'pg\_toast%'),
            procs as (select p.prosrc, coalesce(array_to_string(p.proconfig, ' '), '') as config,
                             p.pronamespace::regnamespace::text || '.' || p.proname = any($1) as helper
                      from pg_proc p where p.pronamespace not in (select oid from sys)),
            -- A mention of request.* or of a baseline helper that reads it: auth.uid( …
            reads as (select '(request\.|auth\.(' || array_to_string(array(select split_part(f, '.', 2) from unnest($1::text[]) as f), '|') || ')\s*\()' as pattern)
            select exists (select 1 from procs, reads where not helper and prosrc ~* reads.pattern)
                or exists (select 1 from pg_policy pol, reads
                           where coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '') ~* reads.pattern)
                or exists (select 1 from pg_class c, reads where c.relkind in ('v', 'm') and c.relnamespace not in (select oid from sys)
                           and pg_get_viewdef(c.oid) ~* reads.pattern)
                or exists (select 1 from pg_attrdef d join pg_class c on c.oid = d.adrelid, reads
                           where c.relnamespace not in (select oid from sys) and pg_get_expr(d.adbin, d.adrelid) ~* reads.pattern)
                or exists (select 1 from pg_constraint k, reads where k.contype = 'c' and k.connamespace not in (select oid from sys)
                           and pg_get_constraintdef(k.oid) ~* reads.pattern),
                   exists (select 1 from procs where prosrc ilike '%response.%' or config ilike '%response.%')
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Supabase.Baseline.RequestReadingFunctions });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }
}
