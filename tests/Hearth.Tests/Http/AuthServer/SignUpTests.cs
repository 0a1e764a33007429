using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>POST /signup: users stored in GoTrue's tables and format, the profile trigger, errors, and no half-written rows.</summary>
[ClassDataSource<GoTrueHearth>(Shared = SharedType.PerTestSession)]
public class SignUpTests(GoTrueHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task A_sign_up_returns_a_session_and_stores_the_user_as_gotrue_does()
    {
        var email = NewEmail("Mixed.Case");
        var r = await SignUp(Http, email, Password, """{"full_name":"Ada Lovelace"}""");
        using var all = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(200);
        var body = r.Json;
        await Assert.That(body.GetProperty("token_type").GetString()).IsEqualTo("bearer");
        await Assert.That(body.GetProperty("expires_in").GetInt64()).IsBetween(3590, 3600);
        await Assert.That(body.GetProperty("refresh_token").GetString()!.Length).IsEqualTo(12);
        var user = body.GetProperty("user");
        var id = user.GetProperty("id").GetString()!;
        await Assert.That(user.GetProperty("email").GetString()).IsEqualTo(email.ToLowerInvariant());
        await Assert.That(user.GetProperty("aud").GetString()).IsEqualTo("authenticated");
        await Assert.That(user.GetProperty("role").GetString()).IsEqualTo("authenticated");
        await Assert.That(user.TryGetProperty("email_confirmed_at", out _)).IsTrue();
        await Assert.That(user.GetProperty("user_metadata").GetProperty("full_name").GetString()).IsEqualTo("Ada Lovelace");
        await Assert.That(user.GetProperty("user_metadata").GetProperty("email_verified").GetBoolean()).IsTrue();
        await Assert.That(user.GetProperty("app_metadata").GetRawText()).IsEqualTo("""{"provider":"email","providers":["email"]}""");
        await Assert.That(user.GetProperty("identities")[0].GetProperty("provider").GetString()).IsEqualTo("email");
        await Assert.That(user.GetProperty("is_anonymous").GetBoolean()).IsFalse();

        // The stored row: a bcrypt hash in GoTrue's format, empty (not NULL) token columns, an email identity,
        // and the profile the AFTER INSERT trigger on auth.users created.
        var hash = await Db.ScalarAsync<string>(hearth.Sql, $"select encrypted_password from auth.users where id = '{id}'");
        await Assert.That(hash).StartsWith("$2a$10$");
        await Assert.That(await Db.ScalarAsync<string>(hearth.Sql, $"select confirmation_token || recovery_token || email_change from auth.users where id = '{id}'")).IsEqualTo("");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.identities where user_id = '{id}' and provider = 'email' and provider_id = '{id}'")).IsEqualTo(1);
        await Assert.That(await Db.ScalarAsync<string>(hearth.Sql, $"select full_name from public.profiles where id = '{id}'")).IsEqualTo("Ada Lovelace");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.sessions s join auth.refresh_tokens t on t.session_id = s.id where s.user_id = '{id}' and not t.revoked")).IsEqualTo(1);
    }

    [Test]
    public async Task The_same_email_again_is_user_already_exists()
    {
        var email = NewEmail();
        await SignUp(Http, email);
        var again = await SignUp(Http, email.ToUpperInvariant());
        await Assert.That(again.Status).IsEqualTo(422);
        await Assert.That(again.Body).IsEqualTo("""{"code":"user_already_exists","message":"User already registered"}""");
        await Assert.That(again.Header("x-sb-error-code")).IsEqualTo("user_already_exists");
    }

    [Test]
    public async Task A_short_password_is_weak_password_in_both_error_formats()
    {
        using var all = Assert.Multiple();
        var v2024 = await Post(Http, "signup", Obj(("email", NewEmail()), ("password", "12345")));
        await Assert.That(v2024.Status).IsEqualTo(422);
        await Assert.That(v2024.Body).IsEqualTo("""{"code":"weak_password","message":"Password should be at least 6 characters.","weak_password":{"reasons":["length"]}}""");
        await Assert.That(v2024.Header("X-Supabase-Api-Version")).IsEqualTo("2024-01-01");
        var legacy = await Post(Http, "signup", Obj(("email", NewEmail()), ("password", "12345")), apiVersion: null);
        await Assert.That(legacy.Status).IsEqualTo(422);
        await Assert.That(legacy.Body).IsEqualTo("""{"code":422,"error_code":"weak_password","msg":"Password should be at least 6 characters.","weak_password":{"reasons":["length"]}}""");
        await Assert.That(legacy.Header("x-sb-error-code")).IsEqualTo("weak_password");
    }

    [Test]
    public async Task Bad_input_is_a_clear_4xx_and_writes_nothing()
    {
        using var all = Assert.Multiple();
        var badEmail = await Post(Http, "signup", Obj(("email", "not-an-email"), ("password", Password)));
        await Assert.That(badEmail.ToString()).IsEqualTo("""400 {"code":"validation_failed","message":"Unable to validate email address: invalid format"}""");
        var noPassword = await Post(Http, "signup", Obj(("email", NewEmail())));
        await Assert.That(noPassword.ToString()).IsEqualTo("""400 {"code":"validation_failed","message":"Signup requires a valid password"}""");
        var badJson = await Post(Http, "signup", """{"email": """);
        await Assert.That(badJson.Status).IsEqualTo(400);
        await Assert.That(badJson.ErrorCode).IsEqualTo("bad_json");
        var wrongType = await Post(Http, "signup", """{"email": 42, "password": "correct horse"}""");
        await Assert.That(wrongType.ErrorCode).IsEqualTo("bad_json");
        var tooLong = await Post(Http, "signup", Obj(("email", NewEmail()), ("password", new string('x', 73))));
        await Assert.That(tooLong.ToString()).IsEqualTo("""400 {"code":"validation_failed","message":"Password cannot be longer than 72 characters"}""");
        var both = await Post(Http, "signup", Obj(("email", NewEmail()), ("phone", "+15550100"), ("password", Password)));
        await Assert.That(both.ErrorCode).IsEqualTo("validation_failed");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, "select count(*) from auth.users where email = 'not-an-email'")).IsEqualTo(0);
    }

    [Test]
    public async Task A_failing_profile_trigger_rolls_the_whole_sign_up_back()
    {
        var email = NewEmail("refused");
        var r = await SignUp(Http, email, Password, """{"full_name":"refuse me"}""");
        using var all = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(500);
        await Assert.That(r.Body).IsEqualTo("""{"code":"unexpected_failure","message":"Database error"}""");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.users where email = '{email}'")).IsEqualTo(0);
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.identities where email = '{email}'")).IsEqualTo(0);
    }

    [Test]
    public async Task Anonymous_sign_in_creates_an_anonymous_user_who_can_later_add_an_email_and_password()
    {
        var r = await Post(Http, "signup", """{"data":{"theme":"dark"}}""");
        using var all = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(200);
        var user = r.Json.GetProperty("user");
        await Assert.That(user.GetProperty("is_anonymous").GetBoolean()).IsTrue();
        await Assert.That(user.GetProperty("email").GetString()).IsEqualTo("");
        await Assert.That(user.GetProperty("user_metadata").GetProperty("theme").GetString()).IsEqualTo("dark");
        var claims = Claims(r.Json.GetProperty("access_token").GetString()!);
        await Assert.That(claims.GetProperty("is_anonymous").GetBoolean()).IsTrue();
        await Assert.That(claims.GetProperty("amr")[0].GetProperty("method").GetString()).IsEqualTo("anonymous");

        var token = r.Json.GetProperty("access_token").GetString()!;
        var passwordOnly = await Send(Http, HttpMethod.Put, "user", Obj(("password", Password)), token);
        await Assert.That(passwordOnly.Status).IsEqualTo(422);
        var email = NewEmail("converted");
        var upgraded = await Send(Http, HttpMethod.Put, "user", Obj(("email", email), ("password", Password)), token);
        await Assert.That(upgraded.Status).IsEqualTo(200);
        await Assert.That(upgraded.Json.GetProperty("email").GetString()).IsEqualTo(email);
        await Assert.That(upgraded.Json.GetProperty("is_anonymous").GetBoolean()).IsFalse();
        await Assert.That((await SignIn(Http, email)).Status).IsEqualTo(200);
    }
}
