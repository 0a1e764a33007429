using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>Email confirmations on (and no mailer), no reuse interval, a stricter password policy, anonymous sign-ins off.</summary>
[ClassDataSource<StrictGoTrueHearth>(Shared = SharedType.PerTestSession)]
public class StrictSettingsTests(StrictGoTrueHearth hearth)
{
    private const string Good = "letters and 123";
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task With_confirmations_on_a_sign_up_gets_no_session_and_cannot_sign_in_until_confirmed()
    {
        var email = NewEmail("unconfirmed");
        var r = await SignUp(Http, email, Good);
        using var all = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Json.TryGetProperty("access_token", out _)).IsFalse();
        var id = r.Json.GetProperty("id").GetString()!;
        await Assert.That(r.Json.TryGetProperty("confirmation_sent_at", out _)).IsTrue();
        await Assert.That(r.Json.TryGetProperty("email_confirmed_at", out _)).IsFalse();
        await Assert.That((await SignIn(Http, email, Good)).ToString()).IsEqualTo("""400 {"code":"email_not_confirmed","message":"Email not confirmed"}""");
        // Signing up again does not reveal anything: the same user comes back, still unconfirmed.
        var again = await SignUp(Http, email, Good);
        await Assert.That(again.Json.GetProperty("id").GetString()).IsEqualTo(id);

        await Send(Http, HttpMethod.Put, $"admin/users/{id}", """{"email_confirm":true}""", ServiceRole);
        await Assert.That((await SignIn(Http, email, Good)).Status).IsEqualTo(200);
        // A confirmed account is not revealed either: a look-alike user, nothing stored.
        var existing = await SignUp(Http, email, Good);
        await Assert.That(existing.Status).IsEqualTo(200);
        await Assert.That(existing.Json.GetProperty("id").GetString()).IsNotEqualTo(id);
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.users where email = '{email}'")).IsEqualTo(1);
    }

    [Test]
    public async Task The_password_policy_names_what_is_missing()
    {
        using var all = Assert.Multiple();
        var letters = await SignUp(Http, NewEmail(), "onlyletters");
        await Assert.That(letters.Status).IsEqualTo(422);
        await Assert.That(letters.Json.GetProperty("weak_password").GetProperty("reasons")[0].GetString()).IsEqualTo("characters");
        var shortOne = await SignUp(Http, NewEmail(), "ab12");
        await Assert.That(shortOne.Json.GetProperty("weak_password").GetProperty("reasons").GetRawText()).IsEqualTo("""["length"]""");
        await Assert.That(shortOne.Json.GetProperty("message").GetString()).IsEqualTo("Password should be at least 8 characters.");
    }

    [Test]
    public async Task Anonymous_sign_ins_are_refused_when_disabled()
    {
        var r = await Post(Http, "signup", "{}");
        await Assert.That(r.ToString()).IsEqualTo("""422 {"code":"anonymous_provider_disabled","message":"Anonymous sign-ins are disabled"}""");
    }

    [Test]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_session()
    {
        var email = NewEmail();
        var created = await Post(Http, "admin/users", $$"""{"email":"{{email}}","password":"{{Good}}","email_confirm":true}""", ServiceRole);
        await Assert.That(created.Status).IsEqualTo(200);
        var first = (await SignIn(Http, email, Good)).Json.GetProperty("refresh_token").GetString()!;
        var second = (await Refresh(Http, first)).Json.GetProperty("refresh_token").GetString()!;
        var third = (await Refresh(Http, second)).Json.GetProperty("refresh_token").GetString()!;
        using var all = Assert.Multiple();
        var reuse = await Refresh(Http, first);
        await Assert.That(reuse.ToString()).IsEqualTo("""400 {"code":"refresh_token_already_used","message":"Invalid Refresh Token: Already Used"}""");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.refresh_tokens where token = '{third}' and revoked")).IsEqualTo(1);
        await Assert.That((await Refresh(Http, third)).ErrorCode).IsEqualTo("refresh_token_already_used");
    }

    [Test]
    public async Task Settings_report_the_configuration()
    {
        var s = (await Send(Http, HttpMethod.Get, "settings")).Json;
        await Assert.That(s.GetProperty("mailer_autoconfirm").GetBoolean()).IsFalse();
        await Assert.That(s.GetProperty("external").GetProperty("anonymous_users").GetBoolean()).IsFalse();
    }
}
