using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// The Supabase-style API roles, created in the embedded database when missing, so migrations written
/// for Supabase (GRANT ... TO anon, authenticated) run unchanged. Like Supabase, NOLOGIN and NOINHERIT;
/// service_role bypasses row-level security. API connections log in as `authenticator` (LOGIN,
/// NOINHERIT, not a superuser, member of the API roles): it can become them and nothing stronger.
/// </summary>
public static class DatabaseRoles
{
    public static async Task EnsureAsync(NpgsqlDataSource db, string? anonRole, CancellationToken ct)
    {
        anonRole ??= "anon"; // anonymous access off still leaves Supabase's roles in place for GRANTs
        await EnsureRolesAsync(db, anonRole, ct);
    }

    private static async Task EnsureRolesAsync(NpgsqlDataSource db, string anonRole, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select r.name, r.name = 'service_role'
            from unnest(array['anon', 'authenticated', 'service_role', $1]) as r(name)
            where not exists (select 1 from pg_roles where rolname = r.name)
            group by r.name
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = anonRole });
        var missing = new List<(string Name, bool BypassRls)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) missing.Add((reader.GetString(0), reader.GetBoolean(1)));
        foreach (var (name, bypass) in missing)
        {
            // Role names cannot be parameters; quote_ident makes any name safe.
            await using var create = db.CreateCommand(
                $"do $$ begin execute format('create role %I nologin noinherit{(bypass ? " bypassrls" : "")}', {Sql.SqlText.Literal(name)}); end $$");
            await create.ExecuteNonQueryAsync(ct);
        }
        await using var authenticator = db.CreateCommand($"""
            do $$ begin
              if not exists (select 1 from pg_roles where rolname = 'authenticator') then
                create role authenticator login noinherit nosuperuser nocreatedb nocreaterole;
              end if;
              execute format('grant anon, authenticated, service_role, %I to authenticator', {Sql.SqlText.Literal(anonRole)});
            end $$
            """);
        await authenticator.ExecuteNonQueryAsync(ct);
    }
}
