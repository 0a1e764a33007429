using System.Text.Json;
using Hearth.Tests.Infrastructure;
using Npgsql;

namespace Hearth.Tests.External;

/// <summary>
/// --db-prepared-statements false, the mode for a transaction-pooling PgBouncer (and, in the external job,
/// through one): no prepared statements, and role, claims, search_path and statement_timeout are
/// transaction-local, so nothing passes from one request to the next or to another client of the pooler.
/// </summary>
[ClassDataSource<ExternalServer>(Shared = SharedType.PerTestSession)]
public class PoolerTests(ExternalServer server)
{
    [Test]
    public async Task Concurrent_requests_as_different_users_each_see_only_their_own_role_and_claims()
    {
        var db = await server.NewDatabaseAsync();
        // Two connections for forty requests: every connection serves many users in turn.
        await using var hearth = await ExternalHearth.ServeAsync(server, db, "--db-prepared-statements", "false", "--db-pool", "2");
        using var http = ExternalHearth.Client(hearth);
        var users = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? null : Guid.NewGuid().ToString()).ToArray();
        var states = await Task.WhenAll(users.Select(sub => ExternalHearth.SessionStateAsync(http, sub is null ? null : Jwt.For("authenticated", sub))));
        using var _ = Assert.Multiple();
        for (var i = 0; i < users.Length; i++)
        {
            var s = states[i];
            await Assert.That(s.GetProperty("role").GetString()).IsEqualTo(users[i] is null ? "anon" : "authenticated");
            await Assert.That(s.GetProperty("sub").ValueKind == JsonValueKind.Null ? null : s.GetProperty("sub").GetString()).IsEqualTo(users[i]);
            await Assert.That(s.GetProperty("login").GetString()).IsEqualTo("authenticator");
            await Assert.That(s.GetProperty("statement_timeout").GetString()).IsEqualTo("5s");
            await Assert.That(s.GetProperty("search_path").GetString()).StartsWith("\"public\"");
            await Assert.That(s.GetProperty("cookies").GetString()).IsEqualTo("{}");
            await Assert.That(s.GetProperty("read_only").GetString()).IsEqualTo("on");
            await Assert.That(s.GetProperty("prepared").GetInt64()).IsEqualTo(0L);
        }
    }

    [Test]
    public async Task After_requests_a_server_session_holds_no_role_settings_or_prepared_statements()
    {
        var db = await server.NewDatabaseAsync();
        await using (var hearth = await ExternalHearth.ServeAsync(server, db, "--db-prepared-statements", "false", "--db-pool", "2"))
        {
            using var http = ExternalHearth.Client(hearth);
            for (var i = 0; i < 10; i++)
            {
                await ExternalHearth.SessionStateAsync(http, Jwt.For("authenticated", Guid.NewGuid().ToString()));
                await ExternalHearth.SessionStateAsync(http);
            }
        }
        // Another client of the same path (through PgBouncer in the external job) as the same login: whatever
        // server session it is handed, it starts clean.
        var url = Data.ConnectionStrings.FromUserInput(db.ApiUrl);
        using var _ = Assert.Multiple();
        for (var i = 0; i < 5; i++)
        {
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(url) { Pooling = false }.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select current_user::text, current_setting('role'), coalesce(current_setting('request.jwt.claims', true), ''),
                       current_setting('statement_timeout'), (select count(*) from pg_prepared_statements)
                """, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            await Assert.That(r.GetString(0)).IsEqualTo("authenticator");
            await Assert.That(r.GetString(1)).IsEqualTo("none");
            await Assert.That(r.GetString(2)).IsEqualTo("");
            await Assert.That(r.GetString(3)).IsEqualTo("0");
            await Assert.That(r.GetInt64(4)).IsEqualTo(0L);
        }
    }

    [Test]
    public async Task By_default_a_direct_connection_prepares_repeated_statements()
    {
        // The contrast that shows the flag matters: straight to the server (PgBouncer 1.18 cannot carry them).
        var db = await server.NewDatabaseAsync();
        var direct = db with { ApiUrl = server.Url("authenticator", ExternalServer.AuthenticatorPassword, db.Name, viaPooler: false) };
        await using var hearth = ExternalHearth.Start(["serve", "--port", "0", "--database-url", direct.ApiUrl, "--admin-database-url", db.AdminUrl,
            "--supabase", ExternalHearth.Project, "--db-pool", "1"]);
        await hearth.WaitReadyAsync();
        using var http = ExternalHearth.Client(hearth);
        JsonElement last = default;
        for (var i = 0; i < 5; i++) last = await ExternalHearth.SessionStateAsync(http);
        await Assert.That(last.GetProperty("prepared").GetInt64()).IsGreaterThan(0L);
    }
}
