using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>GET/PUT /user and POST /logout: who is signed in, what they may change, and sign-out scopes.</summary>
[ClassDataSource<GoTrueHearth>(Shared = SharedType.PerTestSession)]
public class UserAndLogoutTests(GoTrueHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Get_user_answers_the_signed_in_user_and_refuses_other_tokens()
    {
        var (access, _, id, email) = await NewUser(Http);
        using var all = Assert.Multiple();
        var me = await Send(Http, HttpMethod.Get, "user", bearer: access);
        await Assert.That(me.Status).IsEqualTo(200);
        await Assert.That(me.Json.GetProperty("id").GetString()).IsEqualTo(id);
        await Assert.That(me.Json.GetProperty("email").GetString()).IsEqualTo(email);
        var none = await Send(Http, HttpMethod.Get, "user");
        await Assert.That(none.ToString()).IsEqualTo("""401 {"code":"no_authorization","message":"This endpoint requires a valid Bearer token"}""");
        var forged = await Send(Http, HttpMethod.Get, "user", bearer: Jwt.Hs(Jwt.Claims(("sub", id), ("role", "authenticated")), secret: "another-secret-that-is-long-enough-0123"));
        await Assert.That(forged.Status).IsEqualTo(403);
        await Assert.That(forged.ErrorCode).IsEqualTo("bad_jwt");
        var expired = await Send(Http, HttpMethod.Get, "user", bearer: Jwt.Hs(Jwt.Claims(("sub", id), ("role", "authenticated"), ("exp", Jwt.Now - 3600))));
        await Assert.That(expired.ErrorCode).IsEqualTo("bad_jwt");
        var anonKey = await Send(Http, HttpMethod.Get, "user", bearer: Jwt.For("anon"));
        await Assert.That(anonKey.ToString()).IsEqualTo("""403 {"code":"bad_jwt","message":"invalid claim: missing sub claim"}""");
        var ghost = await Send(Http, HttpMethod.Get, "user", bearer: Jwt.Hs(Jwt.Claims(("sub", Guid.NewGuid().ToString()), ("role", "authenticated"), ("aud", "authenticated"))));
        await Assert.That(ghost.ErrorCode).IsEqualTo("user_not_found");
    }

    [Test]
    public async Task Put_user_merges_data_and_a_null_removes_a_key()
    {
        var (access, _, id, _) = await NewUser(Http, """{"full_name":"Ada","city":"London"}""");
        var r = await Send(Http, HttpMethod.Put, "user", """{"data":{"city":null,"theme":"dark"}}""", access);
        using var all = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(200);
        var meta = r.Json.GetProperty("user_metadata");
        await Assert.That(meta.GetProperty("full_name").GetString()).IsEqualTo("Ada");
        await Assert.That(meta.GetProperty("theme").GetString()).IsEqualTo("dark");
        await Assert.That(meta.TryGetProperty("city", out _)).IsFalse();
        await Assert.That(await Db.ScalarAsync<string>(hearth.Sql, $"select raw_user_meta_data->>'theme' from auth.users where id = '{id}'")).IsEqualTo("dark");
        var app = await Send(Http, HttpMethod.Put, "user", """{"app_metadata":{"plan":"pro"}}""", access);
        await Assert.That(app.ToString()).IsEqualTo("""403 {"code":"not_admin","message":"Updating app_metadata requires admin privileges"}""");
    }

    [Test]
    public async Task A_new_password_works_the_old_one_stops_and_other_sessions_are_signed_out()
    {
        var (access, _, _, email) = await NewUser(Http);
        var other = (await SignIn(Http, email)).Json.GetProperty("access_token").GetString()!;
        using var all = Assert.Multiple();
        var same = await Send(Http, HttpMethod.Put, "user", Obj(("password", Password)), access);
        await Assert.That(same.ToString()).IsEqualTo("""422 {"code":"same_password","message":"New password should be different from the old password."}""");
        var weak = await Send(Http, HttpMethod.Put, "user", Obj(("password", "123")), access);
        await Assert.That(weak.ErrorCode).IsEqualTo("weak_password");
        var changed = await Send(Http, HttpMethod.Put, "user", Obj(("password", "a brand new secret")), access);
        await Assert.That(changed.Status).IsEqualTo(200);
        await Assert.That((await SignIn(Http, email)).ErrorCode).IsEqualTo("invalid_credentials");
        await Assert.That((await SignIn(Http, email, "a brand new secret")).Status).IsEqualTo(200);
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: access)).Status).IsEqualTo(200);
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: other)).ErrorCode).IsEqualTo("session_not_found");
    }

    [Test]
    public async Task A_new_email_applies_at_once_without_confirmations_and_a_taken_one_is_refused()
    {
        var (access, _, _, _) = await NewUser(Http);
        var (_, _, _, taken) = await NewUser(Http);
        var fresh = NewEmail("moved");
        using var all = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Put, "user", Obj(("email", fresh)), access);
        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Json.GetProperty("email").GetString()).IsEqualTo(fresh);
        await Assert.That((await SignIn(Http, fresh)).Status).IsEqualTo(200);
        var clash = await Send(Http, HttpMethod.Put, "user", Obj(("email", taken)), access);
        await Assert.That(clash.ToString()).IsEqualTo("""422 {"code":"email_exists","message":"A user with this email address has already been registered"}""");
    }

    [Test]
    public async Task Global_sign_out_ends_every_session_at_auth_while_the_rest_api_still_verifies_only_the_jwt()
    {
        var (access, refresh, _, email) = await NewUser(Http);
        var second = await SignIn(Http, email);
        using var all = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Post, "logout", bearer: access);
        await Assert.That(r.Status).IsEqualTo(204);
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: access)).ToString())
            .IsEqualTo("""403 {"code":"session_not_found","message":"Session from session_id claim in JWT does not exist"}""");
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: second.Json.GetProperty("access_token").GetString())).ErrorCode).IsEqualTo("session_not_found");
        await Assert.That((await Refresh(Http, refresh)).ErrorCode).IsEqualTo("refresh_token_not_found");
        // Supabase's PostgREST checks the signature and exp only; so does Hearth's REST API.
        await Assert.That((await Send(Http, HttpMethod.Get, "rest/notes", bearer: access)).Status).IsEqualTo(200);
    }

    [Test]
    public async Task Local_and_others_scopes_end_only_this_or_only_the_other_sessions()
    {
        var (first, _, _, email) = await NewUser(Http);
        var second = (await SignIn(Http, email)).Json.GetProperty("access_token").GetString()!;
        var third = (await SignIn(Http, email)).Json.GetProperty("access_token").GetString()!;
        using var all = Assert.Multiple();
        await Assert.That((await Send(Http, HttpMethod.Post, "logout?scope=local", bearer: first)).Status).IsEqualTo(204);
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: first)).ErrorCode).IsEqualTo("session_not_found");
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: second)).Status).IsEqualTo(200);
        await Assert.That((await Send(Http, HttpMethod.Post, "logout?scope=others", bearer: second)).Status).IsEqualTo(204);
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: second)).Status).IsEqualTo(200);
        await Assert.That((await Send(Http, HttpMethod.Get, "user", bearer: third)).ErrorCode).IsEqualTo("session_not_found");
        var bad = await Send(Http, HttpMethod.Post, "logout?scope=everyone", bearer: second);
        await Assert.That(bad.ToString()).IsEqualTo("""400 {"code":"validation_failed","message":"Unsupported logout scope \"everyone\""}""");
    }

    [Test]
    public async Task Settings_health_and_unknown_paths_answer_as_gotrue()
    {
        using var all = Assert.Multiple();
        var settings = await Send(Http, HttpMethod.Get, "settings");
        await Assert.That(settings.Status).IsEqualTo(200);
        await Assert.That(settings.Json.GetProperty("external").GetProperty("email").GetBoolean()).IsTrue();
        await Assert.That(settings.Json.GetProperty("external").GetProperty("anonymous_users").GetBoolean()).IsTrue();
        await Assert.That(settings.Json.GetProperty("external").GetProperty("google").GetBoolean()).IsFalse();
        await Assert.That(settings.Json.GetProperty("disable_signup").GetBoolean()).IsFalse();
        await Assert.That(settings.Json.GetProperty("mailer_autoconfirm").GetBoolean()).IsTrue();
        var health = await Send(Http, HttpMethod.Get, "health");
        await Assert.That(health.Json.GetProperty("name").GetString()).IsEqualTo("GoTrue");
        var unknown = await Send(Http, HttpMethod.Get, "factors");
        await Assert.That(unknown.Status).IsEqualTo(404);
        await Assert.That(unknown.Body).DoesNotContain("PGRST");
        var wrongMethod = await Send(Http, HttpMethod.Delete, "signup");
        await Assert.That(wrongMethod.Status).IsEqualTo(405);
    }

    [Test]
    public async Task The_gateway_wants_a_valid_api_key_on_auth_as_supabase_does()
    {
        using var all = Assert.Multiple();
        var none = await Send(Http, HttpMethod.Get, "settings", apiKey: "");
        await Assert.That(none.Status).IsEqualTo(401);
        await Assert.That(none.Json.GetProperty("message").GetString()).IsEqualTo("No API key found in request");
        var forged = await Send(Http, HttpMethod.Get, "settings", apiKey: Jwt.Hs(Jwt.Claims(("role", "anon")), secret: "another-secret-that-is-long-enough-0123"));
        await Assert.That(forged.Json.GetProperty("message").GetString()).IsEqualTo("Invalid API key");
        // The key is not a session: without Authorization, /user has no token (GoTrue's 401, not the anon key's 403).
        var noToken = await Send(Http, HttpMethod.Get, "user");
        await Assert.That(noToken.ErrorCode).IsEqualTo("no_authorization");
    }
}
