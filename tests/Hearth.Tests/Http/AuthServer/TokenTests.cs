using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>POST /token: password sign-in, GoTrue's access token claims, refresh token rotation.</summary>
[ClassDataSource<GoTrueHearth>(Shared = SharedType.PerTestSession)]
public class TokenTests(GoTrueHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Password_sign_in_issues_a_gotrue_access_token()
    {
        var (_, _, id, email) = await NewUser(Http);
        var r = await SignIn(Http, email.ToUpperInvariant());
        using var all = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(200);
        var claims = Claims(r.Json.GetProperty("access_token").GetString()!);
        var names = claims.EnumerateObject().Select(p => p.Name).ToList();
        await Assert.That(string.Join(",", names)).IsEqualTo("aud,exp,iat,iss,sub,email,phone,app_metadata,user_metadata,role,aal,amr,session_id,is_anonymous");
        await Assert.That(claims.GetProperty("sub").GetString()).IsEqualTo(id);
        await Assert.That(claims.GetProperty("aud").GetString()).IsEqualTo("authenticated");
        await Assert.That(claims.GetProperty("role").GetString()).IsEqualTo("authenticated");
        await Assert.That(claims.GetProperty("aal").GetString()).IsEqualTo("aal1");
        await Assert.That(claims.GetProperty("amr")[0].GetProperty("method").GetString()).IsEqualTo("password");
        await Assert.That(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).IsEqualTo(3600);
        await Assert.That(claims.GetProperty("iss").GetString()).EndsWith("/auth/v1");
        var sessionId = claims.GetProperty("session_id").GetString();
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.sessions where id = '{sessionId}' and user_id = '{id}'")).IsEqualTo(1);
        await Assert.That(r.Json.GetProperty("user").TryGetProperty("last_sign_in_at", out _)).IsTrue();
    }

    [Test]
    public async Task A_wrong_password_and_an_unknown_email_are_the_same_invalid_credentials()
    {
        var (_, _, _, email) = await NewUser(Http);
        using var all = Assert.Multiple();
        var wrong = await SignIn(Http, email, "wrong password");
        await Assert.That(wrong.ToString()).IsEqualTo("""400 {"code":"invalid_credentials","message":"Invalid login credentials"}""");
        var unknown = await SignIn(Http, NewEmail("nobody"));
        await Assert.That(unknown.ToString()).IsEqualTo(wrong.ToString());
        var legacy = await SignIn(Http, email, "wrong password", apiVersion: null);
        await Assert.That(legacy.ToString()).IsEqualTo("""400 {"code":400,"error_code":"invalid_credentials","msg":"Invalid login credentials"}""");
        await Assert.That(legacy.Header("x-sb-error-code")).IsEqualTo("invalid_credentials");
        await Assert.That(legacy.Header("X-Supabase-Api-Version")).IsNull();
        var old = await SignIn(Http, email, "wrong password", apiVersion: "2023-12-31");
        await Assert.That(old.Json.GetProperty("msg").GetString()).IsEqualTo("Invalid login credentials");
        var missing = await Post(Http, "token?grant_type=password", Obj(("password", "x")));
        await Assert.That(missing.ToString()).IsEqualTo("""400 {"code":"validation_failed","message":"missing email or phone"}""");
        var grant = await Post(Http, "token?grant_type=magic", "{}");
        await Assert.That(grant.ToString()).IsEqualTo("""400 {"code":"invalid_credentials","message":"unsupported_grant_type"}""");
    }

    [Test]
    public async Task A_user_row_copied_from_supabase_signs_in()
    {
        // A bcrypt hash made by another implementation (libxcrypt), in the $2a$10$ form GoTrue stores.
        var id = Guid.NewGuid();
        var email = NewEmail("copied");
        await Db.ExecAsync(hearth.Sql, $"""
            insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
              raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
            values ('00000000-0000-0000-0000-000000000000', '{id}', 'authenticated', 'authenticated', '{email}',
              '$2a$10$abcdefghijklmnopqrstuu8que.UG4dgAHf/g2meKO83kyn1rlGb.', now(), '{"{"}"provider":"email","providers":["email"]{"}"}',
              '{"{"}{"}"}', now(), now(), '', '', '', '')
            """);
        var r = await SignIn(Http, email, "copied-from-supabase");
        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Json.GetProperty("user").GetProperty("id").GetString()).IsEqualTo(id.ToString());
    }

    [Test]
    public async Task A_refresh_rotates_the_token_and_a_retry_within_the_reuse_interval_gets_the_same_answer()
    {
        var (_, refresh, id, _) = await NewUser(Http);
        using var all = Assert.Multiple();
        var first = await Refresh(Http, refresh);
        await Assert.That(first.Status).IsEqualTo(200);
        var next = first.Json.GetProperty("refresh_token").GetString()!;
        await Assert.That(next).IsNotEqualTo(refresh);
        await Assert.That(Claims(first.Json.GetProperty("access_token").GetString()!).GetProperty("sub").GetString()).IsEqualTo(id);
        await Assert.That(await Db.ScalarAsync<bool>(hearth.Sql, $"select revoked from auth.refresh_tokens where token = '{refresh}'")).IsTrue();
        await Assert.That(await Db.ScalarAsync<string>(hearth.Sql, $"select parent from auth.refresh_tokens where token = '{next}'")).IsEqualTo(refresh);

        // The client lost the answer and retries with the old token: it gets the token already issued.
        var retry = await Refresh(Http, refresh);
        await Assert.That(retry.Status).IsEqualTo(200);
        await Assert.That(retry.Json.GetProperty("refresh_token").GetString()).IsEqualTo(next);
        var again = await Refresh(Http, next);
        await Assert.That(again.Status).IsEqualTo(200);
    }

    [Test]
    public async Task Unknown_and_missing_refresh_tokens_are_refused()
    {
        using var all = Assert.Multiple();
        var unknown = await Refresh(Http, "nosuchtoken1");
        await Assert.That(unknown.ToString()).IsEqualTo("""400 {"code":"refresh_token_not_found","message":"Invalid Refresh Token: Refresh Token Not Found"}""");
        var missing = await Post(Http, "token?grant_type=refresh_token", "{}");
        await Assert.That(missing.ToString()).IsEqualTo("""400 {"error":"invalid_request","error_description":"refresh_token required"}""");
    }

    [Test]
    public async Task The_access_token_opens_the_rest_api_and_row_level_security_keeps_two_users_apart()
    {
        var alice = await NewUser(Http);
        var bob = await NewUser(Http);
        using var all = Assert.Multiple();
        var write = await Post(Http, "rest/notes", """{"body":"alice's note"}""", alice.Access);
        await Assert.That(write.Status).IsEqualTo(201);
        var aliceReads = await Send(Http, HttpMethod.Get, "rest/notes?select=body,owner", bearer: alice.Access);
        await Assert.That(aliceReads.Body).IsEqualTo($$"""[{"body":"alice's note","owner":"{{alice.Id}}"}]""");
        var bobReads = await Send(Http, HttpMethod.Get, "rest/notes?select=body", bearer: bob.Access);
        await Assert.That(bobReads.Body).IsEqualTo("[]");
        var forged = await Post(Http, "rest/notes", $$"""{"body":"planted","owner":"{{alice.Id}}"}""", bob.Access);
        await Assert.That(forged.Status).IsEqualTo(403);
        var bobUpdates = await Send(Http, HttpMethod.Patch, "rest/notes", """{"body":"defaced"}""", bob.Access);
        await Assert.That(await Db.ScalarAsync<string>(hearth.Sql, $"select body from public.notes where owner = '{alice.Id}'")).IsEqualTo("alice's note");
    }
}
