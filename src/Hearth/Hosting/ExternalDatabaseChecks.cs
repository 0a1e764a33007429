using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// Startup checks against a server Hearth did not start (--database-url): the version, and that each
/// user can do what Hearth will ask of it. Whatever is missing is one line naming the privilege and the
/// object (and the GRANT that fixes it), before anything fails half way with a PostgreSQL error.
/// </summary>
public static class ExternalDatabaseChecks
{
    /// <summary>PostgreSQL 15 is the oldest Hearth is tested on (CI runs Debian's postgresql-15).</summary>
    public const int MinimumVersionNum = 150000;

    private const string OwnerHint = "run with --admin-database-url set to the database owner's URL";

    /// <summary>The tables and sequence the auth server (/auth/v1) reads and writes.</summary>
    private static readonly string[] AuthTables = ["users", "identities", "sessions", "refresh_tokens"];

    public static async Task CheckVersionAsync(NpgsqlDataSource admin, CancellationToken ct)
    {
        await using var cmd = admin.CreateCommand("select current_setting('server_version_num')::int, current_setting('server_version')");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt32(0) < MinimumVersionNum)
            throw new HearthStartupException($"PostgreSQL {reader.GetString(1)} is not supported: Hearth needs PostgreSQL 15 or later (15, 16 and 17 are tested).");
    }

    /// <summary>
    /// The owner's side (migrations, seeds, the Supabase baseline): the hearth schema must be creatable or
    /// usable, and with --supabase missing Supabase roles must be creatable.
    /// </summary>
    public static async Task CheckOwnerAsync(NpgsqlDataSource admin, HearthOptions options, CancellationToken ct)
    {
        var supabase = options.SupabaseDir is not null;
        if (options.MigrationsDir is null && options.SeedFiles.Count == 0 && !supabase) return;
        await using var cmd = admin.CreateCommand("""
            select current_user, current_database(), r.rolsuper, r.rolcreaterole,
                   to_regnamespace('hearth') is null,
                   has_database_privilege(current_database(), 'CREATE'),
                   case when to_regnamespace('hearth') is null then true else has_schema_privilege('hearth', 'CREATE, USAGE') end,
                   array(select n from unnest(array['supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin',
                         'supabase_realtime_admin', 'dashboard_user']) n where not exists (select from pg_roles where rolname = n)),
                   not exists (select from pg_roles where rolname = 'service_role'),
                   array(select o.rolname::text from pg_roles o   -- by oid: a role that does not exist is simply not there
                         where o.rolname in ('supabase_auth_admin', 'supabase_storage_admin')
                           and not pg_has_role(current_user, o.oid, case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end)
                           and not case when current_setting('server_version_num')::int >= 160000
                                        then pg_has_role(current_user, o.oid, 'MEMBER WITH ADMIN OPTION') else r.rolcreaterole end)
            from pg_roles r where r.rolname = current_user
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (name, database, super, createRole) = (reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3));
        var user = $"{name} ({(options.AdminDatabaseUrl is null ? "--database-url" : "--admin-database-url")})";
        if (super) return;
        if (reader.GetBoolean(4) && !reader.GetBoolean(5))
            throw Missing($"the user {user} lacks the CREATE privilege on database {database}, needed to create Hearth's hearth schema " +
                $"(migrations, baseline): {OwnerHint}, or grant create on database {Ident(database)} to {Ident(name)}");
        if (!reader.GetBoolean(6))
            throw Missing($"the user {user} lacks the CREATE and USAGE privileges on schema hearth (migrations, baseline): " +
                $"{OwnerHint}, or grant usage, create on schema hearth to {Ident(name)}");
        var missingRoles = reader.GetFieldValue<string[]>(7);
        // The baseline hands the auth and storage schemas to these roles, which takes being able to become them.
        if (supabase && reader.GetFieldValue<string[]>(9) is [var schemaOwner, ..])
            throw Missing($"the user {user} is not a member of role {schemaOwner} and cannot grant it to itself (it owns Supabase's auth or storage schema): " +
                $"grant {Ident(schemaOwner)} to {Ident(name)}");
        if (supabase && reader.GetBoolean(8))
            throw Missing($"role service_role does not exist and only a superuser can create it (it has BYPASSRLS): " +
                "create role service_role nologin noinherit bypassrls, and grant it to the --database-url user");
        if (supabase && missingRoles.Length > 0 && !createRole)
            throw Missing($"the user {user} lacks CREATEROLE, needed to create the Supabase roles {string.Join(", ", missingRoles)}: " +
                $"alter role {Ident(name)} createrole, or create those roles first");
    }

    /// <summary>
    /// The --database-url user (the authenticator): it must log in and be able to become each API role —
    /// PostgREST's rule; a superuser works but is warned about.
    /// </summary>
    public static async Task CheckAuthenticatorAsync(string apiConnectionString, HearthOptions options, ILogger logger, CancellationToken ct)
    {
        var roles = new List<string>();
        if (options.AnonRole is { } anon) roles.Add(anon);
        if (options.SupabaseDir is not null) roles.AddRange(["authenticated", "service_role"]);
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(apiConnectionString) { Pooling = false, MaxAutoPrepare = 0 }.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select current_user, (select rolsuper from pg_roles where rolname = current_user),
                   array(select r from unnest($1::text[]) r where not exists (select from pg_roles where rolname = r)),
                   array(select o.rolname::text from pg_roles o where o.rolname = any($1::text[])
                         and not pg_has_role(current_user, o.oid,
                         case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end))
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = roles.Distinct().ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var user = reader.GetString(0);
        if (reader.GetBoolean(1))
        {
            logger.LogWarning("--database-url logs in as {User}, a superuser: requests still switch to the API roles, but use an authenticator role (LOGIN NOINHERIT, member of the API roles) in production", user);
            return;
        }
        if (reader.GetFieldValue<string[]>(2) is [var absent, ..])
            throw Missing($"role {absent} does not exist: create it (create role {Ident(absent)} nologin) and grant {Ident(absent)} to {Ident(user)}");
        if (reader.GetFieldValue<string[]>(3) is [var notMember, ..])
            throw Missing($"the --database-url user {user} is not a member of role {notMember}, so it cannot switch to it: grant {Ident(notMember)} to {Ident(user)}");
    }

    /// <summary>
    /// The auth server's user (the owner's URL, else --database-url's) must read and write GoTrue's tables:
    /// with --supabase that is required; without, /auth/v1 is a side show of a PostgREST-style deployment
    /// on a database that has the tables, so a warning.
    /// </summary>
    public static async Task CheckAuthServerAsync(NpgsqlDataSource auth, bool required, ILogger logger, CancellationToken ct)
    {
        // By oid: naming a table in a schema one cannot use is itself an error.
        await using var cmd = auth.CreateCommand("""
            select current_user, 'auth.' || c.relname,
                   has_schema_privilege(n.oid, 'USAGE') and has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'auth' and c.relname = any($1) order by array_position($1, c.relname)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = AuthTables });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetBoolean(2)) continue;
            var what = $"the auth server's user {reader.GetString(0)} lacks SELECT, INSERT, UPDATE, DELETE on table {reader.GetString(1)} (or USAGE on schema auth): " +
                $"{OwnerHint} (the auth server uses it), or grant those privileges to {Ident(reader.GetString(0))}";
            if (required) throw Missing(what);
            logger.LogWarning("/auth/v1 will fail: {What}", what);
            return;
        }
    }

    /// <summary>A PostgreSQL error during a startup step, as one line (the SQLSTATE says which kind).</summary>
    public static HearthStartupException Failed(string step, PostgresException e) => new(
        $"PostgreSQL refused {step}: {e.MessageText} (SQLSTATE {e.SqlState})" +
        (e.SqlState == PostgresErrorCodes.InsufficientPrivilege ? $". The user lacks that privilege: {OwnerHint} or grant it (README: least privilege)." : "."), e);

    private static HearthStartupException Missing(string what) => new("Missing database privilege: " + what + ".");

    private static string Ident(string name) => Sql.SqlText.Ident(name);
}
