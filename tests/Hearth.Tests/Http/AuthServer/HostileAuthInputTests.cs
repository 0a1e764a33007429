using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>Values PostgreSQL cannot store or .NET cannot read, in keys and bodies: a 4xx, never a 500.</summary>
[ClassDataSource<GoTrueHearth>(Shared = SharedType.PerTestSession)]
public class HostileAuthInputTests(GoTrueHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task An_apikey_whose_header_is_no_valid_string_is_the_gateways_401()
    {
        // {"alg":"\ud800"}: valid JSON, but no valid UTF-16 string.
        var key = Jwt.B64("{\"alg\":\"\\ud800\",\"typ\":\"JWT\"}") + "." + Jwt.B64("{\"role\":\"anon\"}") + ".x";
        var r = await Send(Http, HttpMethod.Get, "settings", apiKey: key);
        await Assert.That(r.Status).IsEqualTo(401);
    }

    [Test]
    [Arguments("{\"email\":\"a\\u0000b@example.com\",\"password\":\"correct horse 42\"}")]
    [Arguments("{\"email\":\"\\ud800@example.com\",\"password\":\"correct horse 42\"}")]
    public async Task A_string_postgresql_cannot_store_is_bad_json(string body)
    {
        var r = await Post(Http, "signup", body);
        using var _ = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(400);
        await Assert.That(r.ErrorCode).IsEqualTo("bad_json");
    }

    [Test]
    public async Task Metadata_with_a_nul_is_400_and_nothing_is_written()
    {
        var email = NewEmail("nul");
        var r = await SignUp(Http, email, Password, """{"x":"a\u0000b"}""");
        using var _ = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(400);
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.users where email = '{email.ToLowerInvariant()}'")).IsEqualTo(0);
    }

    [Test]
    public async Task A_ban_duration_past_what_a_time_span_holds_is_a_validation_error()
    {
        var (_, _, id, _) = await NewUser(Http);
        var r = await Send(Http, HttpMethod.Put, $"admin/users/{id}", """{"ban_duration":"99999999999999h"}""", ServiceRole);
        using var _ = Assert.Multiple();
        await Assert.That(r.Status).IsEqualTo(400);
        await Assert.That(r.ErrorCode).IsEqualTo("validation_failed");
    }
}
