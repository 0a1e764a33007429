using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Supabase;

/// <summary>
/// `hearth serve --supabase DIR` on a project laid out as the Supabase CLI lays it out
/// (Fixtures/supabase_project): the baseline, config.toml, migrations with their own BEGIN/COMMIT, the seed,
/// /rest/v1 with the CLI's well-known keys, and the JWT secret rules.
/// </summary>
public class SupabaseProjectTests
{
    /// <summary>The Supabase CLI's local anon key, as apps' .env.local hold it.</summary>
    public const string CliAnonKey =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
    private const string CliSecret = "super-secret-jwt-token-with-at-least-32-characters-long";

    private static string Project => RepoPaths.Fixture("supabase_project");
    private static readonly Dictionary<string, string> Env = new() { ["HEARTH_TEST_SITE_URL"] = "http://127.0.0.1:5173" };

    private static async Task<(int Status, string Body)> GetAsync(HttpClient http, string path, string? apiKey, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null) request.Headers.Add("apikey", apiKey);
        if (bearer is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request);
        // json_agg puts a newline between rows; the expectations are written compactly.
        return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync()).Replace(", \n ", ","));
    }

    [Test]
    public async Task A_supabase_project_runs_unchanged_and_its_seed_runs_once()
    {
        using var dir = new TempDir("supa");
        var data = dir.Combine("data");
        await using (var hearth = await HearthProcess.ServeAsync(data, extraArgs: ["--supabase", Project], env: Env))
        {
            using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
            using var _ = Assert.Multiple();
            // The seed's user went through the after-insert trigger on auth.users into profiles; no GRANT anywhere.
            await Assert.That(await GetAsync(http, "rest/v1/profiles?select=id,full_name", CliAnonKey))
                .IsEqualTo((200, """[{"id":"00000000-0000-0000-0000-0000000000a1","full_name":"Ada Lovelace"}]"""));
            // RLS with auth.role(): anonymous clients see only #general; a signed-in user sees both channels.
            await Assert.That(await GetAsync(http, "rest/v1/channels?select=slug&order=slug", CliAnonKey)).IsEqualTo((200, """[{"slug":"general"}]"""));
            var user = Jwt.Hs(Jwt.Claims(("sub", "00000000-0000-0000-0000-0000000000a1"), ("role", "authenticated"), ("exp", Jwt.Now + 600)), secret: CliSecret);
            await Assert.That(await GetAsync(http, "rest/v1/channels?select=slug&order=slug", CliAnonKey, user))
                .IsEqualTo((200, """[{"slug":"general"},{"slug":"random"}]"""));
            // The BEGIN ATOMIC function of the begin/commit migration, through /rest/v1/rpc.
            await Assert.That(await GetAsync(http, "rest/v1/rpc/channel_count", CliAnonKey)).IsEqualTo((200, "1"));
            // Kong's rules on /rest/v1: a key is required and must be one of the project's keys.
            var wrong = await GetAsync(http, "rest/v1/channels", "not-a-key");
            await Assert.That(wrong.Status).IsEqualTo(401);
            await Assert.That(wrong.Body).Contains("Invalid API key");
            await Assert.That((await GetAsync(http, "rest/v1/channels", Jwt.Hs(Jwt.Claims(("role", "anon")), secret: "some-other-secret-some-other-secret-1234"))).Status).IsEqualTo(401);
            await Assert.That((await GetAsync(http, "rest/v1/channels", null)).Status).IsEqualTo(401);
            // A user's session token is not an API key.
            await Assert.That((await GetAsync(http, "rest/v1/channels", user)).Status).IsEqualTo(401);
            // The plain PostgREST path still works without a key.
            await Assert.That((await GetAsync(http, "channels?select=slug", null)).Status).IsEqualTo(200);
            // /auth/v1 is served (Http/AuthServer tests it): the key alone is no session, GoTrue's 401.
            await Assert.That((await GetAsync(http, "auth/v1/user", CliAnonKey)).Status).IsEqualTo(401);

            var db = Db.ConnectionString(data);
            await Assert.That(await Db.ScalarAsync<string>(db, "select string_agg(name, ',' order by name) from hearth.schema_migrations"))
                .IsEqualTo("20240101000000_profiles.sql,20240102000000_channels.sql");
            await Assert.That(await Db.ScalarAsync<string>(db, "select string_agg(tablename, ',') from pg_publication_tables where pubname = 'supabase_realtime'"))
                .IsEqualTo("channels");
            await Assert.That(await Db.ScalarAsync<string>(db, "select string_agg(name, ',') from hearth.seeds")).IsEqualTo("seed.sql");
            await Assert.That(await Db.ScalarAsync<long>(db, "select count(*) from storage.buckets where id = 'avatars'")).IsEqualTo(1L);
            await Assert.That(hearth.Stderr).DoesNotContain("warning");
        }
        // Restart: the seed does not run again (it would fail on channels' unique slug, and add a second user).
        await using (var again = await HearthProcess.ServeAsync(data, extraArgs: ["--supabase", Project], env: Env))
        {
            await Assert.That(again.Stderr).DoesNotContain("Applied seed");
            await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from auth.users")).IsEqualTo(1L);
        }
    }

    [Test]
    public async Task The_auth_tables_have_gotrue_columns()
    {
        using var dir = new TempDir("supa-auth");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data);
        var columns = await Db.ScalarAsync<string>(Db.ConnectionString(data), """
            select string_agg(table_name || '.' || column_name, ',' order by table_name, column_name) from information_schema.columns
            where table_schema = 'auth' and column_name in ('is_anonymous', 'raw_user_meta_data', 'confirmed_at', 'identity_data', 'provider_id', 'aal', 'session_id', 'parent')
            """);
        await Assert.That(columns).IsEqualTo("identities.identity_data,identities.provider_id,refresh_tokens.parent,refresh_tokens.session_id,sessions.aal,users.confirmed_at,users.is_anonymous,users.raw_user_meta_data");
        // Without --supabase there are no default privileges: a new table is not reachable until granted (PostgREST's rule).
        await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from pg_default_acl")).IsEqualTo(0L);
    }

    [Test]
    public async Task Keys_for_the_cli_secret_are_the_cli_well_known_keys()
    {
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["keys", "--supabase", Project], Env);
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        using var keys = JsonDocument.Parse(stdout);
        await Assert.That(keys.RootElement.GetProperty("anon_key").GetString()).IsEqualTo(CliAnonKey);
        var service = keys.RootElement.GetProperty("service_role_key").GetString()!;
        await Assert.That(Payload(service)).IsEqualTo("""{"iss":"supabase-demo","role":"service_role","exp":1983812996}""");
        await Assert.That(Verifies(service, CliSecret)).IsTrue();
    }

    [Test]
    public async Task Config_values_come_from_env_and_unsupported_settings_warn_once_each()
    {
        using var dir = new TempDir("supa-env");
        await File.WriteAllTextAsync(dir.Combine("config.toml"), """
            [auth]
            jwt_secret = "env(HEARTH_TEST_JWT)"
            enable_manual_linking = true

            [storage]
            enabled = true
            file_size_limit = "50MiB"

            [storage.image_transformation]
            enabled = true

            [inbucket]
            enabled = false
            port = 54324
            """);
        const string secret = "a-secret-from-the-environment-0123456789";
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["keys", "--supabase", dir.Path], new Dictionary<string, string> { ["HEARTH_TEST_JWT"] = secret });
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        using var keys = JsonDocument.Parse(stdout);
        var anon = keys.RootElement.GetProperty("anon_key").GetString()!;
        await Assert.That(Verifies(anon, secret)).IsTrue();
        await Assert.That(Payload(anon)).Contains("\"iss\":\"supabase\",\"role\":\"anon\",\"iat\":");
        var warnings = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(warnings.Length).IsEqualTo(2).Because(stderr);
        await Assert.That(stderr).Contains("[auth] enable_manual_linking is not supported");
        await Assert.That(stderr).Contains("[storage.image_transformation] enabled is not supported");
        await Assert.That(stderr).DoesNotContain("file_size_limit"); // applied: /storage/v1's upload limit
        await Assert.That(stderr).DoesNotContain("inbucket"); // disabled sections ask for nothing
    }

    [Test]
    public async Task A_malformed_config_toml_is_one_line_naming_file_and_line_exit_2()
    {
        using var dir = new TempDir("supa-bad");
        await File.WriteAllTextAsync(dir.Combine("config.toml"), "[api]\nport = 54321\nschemas = [\"public\"\n\n[db\n");
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["serve", "--supabase", dir.Path, "--data-dir", dir.Combine("data"), "--port", "0"]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(stderr);
        await Assert.That(stderr).Contains(dir.Combine("config.toml") + ":");
        await Assert.That(stdout).IsEmpty();
    }

    [Test]
    public async Task The_public_cli_secret_is_refused_on_a_non_loopback_address()
    {
        using var dir = new TempDir("supa-host");
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--supabase", Project, "--data-dir", dir.Combine("data"), "--host", "0.0.0.0", "--port", "0"], Env);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(stderr);
        await Assert.That(stderr).Contains("public local-development secret");
        await Assert.That(Directory.Exists(dir.Combine("data", "pg_embed"))).IsFalse(); // refused before anything started
    }

    [Test]
    public async Task Without_a_secret_embedded_mode_generates_one_kept_in_the_data_dir()
    {
        using var dir = new TempDir("supa-secret");
        var data = dir.Combine("data");
        string first;
        await using (var hearth = await HearthProcess.ServeAsync(data))
        {
            var file = Path.Combine(data, "jwt-secret");
            await Assert.That(File.GetUnixFileMode(file)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            first = await File.ReadAllTextAsync(file);
            await Assert.That(first.Length).IsGreaterThanOrEqualTo(32);
        }
        // `hearth keys --data-dir` signs with the same secret, and serve accepts its keys after a restart.
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["keys", "--data-dir", data]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        var service = JsonDocument.Parse(stdout).RootElement.GetProperty("service_role_key").GetString()!;
        await using (var hearth = await HearthProcess.ServeAsync(data))
        {
            await Assert.That(await File.ReadAllTextAsync(Path.Combine(data, "jwt-secret"))).IsEqualTo(first);
            using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
            // No table is granted here: service_role's 404 for an unknown table proves the token was accepted (not 401).
            var r = await GetAsync(http, "rest/v1/nothing_here", service);
            await Assert.That(r.Status).IsEqualTo(404).Because(r.Body);
            await Assert.That((await GetAsync(http, "nothing_here", null, Jwt.For("service_role"))).Status).IsEqualTo(401);
        }
    }

    private static string Payload(string jwt) => Encoding.UTF8.GetString(Convert.FromBase64String(Pad(jwt.Split('.')[1])));

    private static bool Verifies(string jwt, string secret)
    {
        var parts = jwt.Split('.');
        var expected = Jwt.B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        return expected == parts[2];
    }

    private static string Pad(string b64url)
    {
        var s = b64url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
    }
}
