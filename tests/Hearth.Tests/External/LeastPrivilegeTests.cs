using Hearth.Tests.Http.AuthServer;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.External;

/// <summary>
/// --database-url as an authenticator (LOGIN NOINHERIT, member of the API roles) and --admin-database-url
/// as the database owner (tests/external/roles.sql); a user lacking a privilege gets one line naming it.
/// </summary>
[ClassDataSource<ExternalServer>(Shared = SharedType.PerTestSession)]
public class LeastPrivilegeTests(ExternalServer server)
{
    [Test]
    public async Task Serves_REST_and_auth_with_an_authenticator_while_the_owner_migrates()
    {
        var db = await server.NewDatabaseAsync();
        await using var hearth = await ExternalHearth.ServeAsync(server, db);
        using var http = ExternalHearth.Client(hearth);

        var items = await AuthApi.Send(http, HttpMethod.Get, "rest/items?select=id,name&order=id");
        var state = await ExternalHearth.SessionStateAsync(http);
        var user = await AuthApi.NewUser(http);
        var me = await AuthApi.Send(http, HttpMethod.Get, "user", bearer: user.Access);
        using var _ = Assert.Multiple();
        await Assert.That(items.Body).IsEqualTo(ExternalHearth.ItemRows);
        await Assert.That(state.GetProperty("login").GetString()).IsEqualTo("authenticator");
        await Assert.That(state.GetProperty("role").GetString()).IsEqualTo("anon");
        await Assert.That(me.Status).IsEqualTo(200);
        // Hearth's own tables and the migrated ones belong to the owner, not to the API's login.
        await Assert.That(await Db.ScalarAsync<string>(db.Superuser, "select tableowner::text from pg_tables where schemaname = 'hearth' and tablename = 'schema_migrations'"))
            .IsEqualTo("hearth_owner");
        await Assert.That(await Db.ScalarAsync<string>(db.Superuser, "select tableowner::text from pg_tables where tablename = 'items'")).IsEqualTo("hearth_owner");
    }

    [Test]
    public async Task An_authenticator_alone_cannot_migrate_and_is_told_in_one_line_which_privilege_is_missing()
    {
        var db = await server.NewDatabaseAsync();
        var (code, _, stderr) = await HearthProcess.RunAsync(
            ["serve", "--port", "0", "--database-url", db.ApiUrl, "--migrations", RepoPaths.Fixture("migrations"), .. server.PoolerFlags], ExternalHearth.Env);
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(ExternalHearth.ErrorLines(stderr)).HasSingleItem();
        await Assert.That(stderr).Contains($"authenticator (--database-url) lacks the CREATE privilege on database {db.Name}");
        await Assert.That(stderr).Contains("--admin-database-url");
        await Assert.That(stderr).DoesNotContain("Unhandled exception");
        await Assert.That(stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task A_login_that_is_not_a_member_of_anon_is_told_the_grant_that_fixes_it()
    {
        var db = await server.NewDatabaseAsync();
        var role = "lonely_" + Guid.NewGuid().ToString("N")[..8];
        await Db.ExecAsync(server.SuperuserConnectionString(), $"create role {role} login noinherit password 'lonely-pw'");
        // A role PgBouncer does not know: straight to the server.
        var url = server.Url(role, "lonely-pw", db.Name, viaPooler: false);
        var (code, _, stderr) = await HearthProcess.RunAsync(
            ["serve", "--port", "0", "--database-url", url, "--admin-database-url", db.AdminUrl, "--supabase", ExternalHearth.Project], ExternalHearth.Env);
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(ExternalHearth.ErrorLines(stderr)).HasSingleItem();
        await Assert.That(stderr).Contains($"user {role} is not a member of role anon").And.Contains($"grant \"anon\" to \"{role}\"");
        await Assert.That(stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task A_wrong_password_is_one_line_naming_the_flag()
    {
        var db = await server.NewDatabaseAsync();
        // Over a socket the embedded server trusts its users: a missing database is the refusal there.
        var url = ExternalServer.PgBin is null ? db.ApiUrl.Replace(db.Name, "no_such_db") : db.ApiUrl.Replace(ExternalServer.AuthenticatorPassword, "wrong-pw");
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--port", "0", "--database-url", url, .. server.PoolerFlags], ExternalHearth.Env);
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(ExternalHearth.ErrorLines(stderr)).HasSingleItem();
        await Assert.That(stderr).Contains("hearth: PostgreSQL refused the connection of --database-url's user");
        await Assert.That(stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task The_auth_server_without_the_owner_url_is_warned_about_by_table()
    {
        var db = await server.NewDatabaseAsync();
        // The owner sets the database up once; then an API-only Hearth (no --supabase, no migrations) serves it.
        var (setup, _, setupErr) = await HearthProcess.RunAsync(["migrate", "--database-url", db.ApiUrl, "--admin-database-url", db.AdminUrl,
            "--supabase", ExternalHearth.Project, .. server.PoolerFlags], ExternalHearth.Env);
        await Assert.That(setup).IsEqualTo(0).Because(setupErr);
        await using var hearth = HearthProcess.Start(["serve", "--port", "0", "--database-url", db.ApiUrl, .. server.PoolerFlags], ExternalHearth.Env);
        await hearth.WaitReadyAsync();
        await Assert.That(hearth.Stderr).Contains("the auth server's user authenticator lacks SELECT, INSERT, UPDATE, DELETE on table auth.users");
    }
}
