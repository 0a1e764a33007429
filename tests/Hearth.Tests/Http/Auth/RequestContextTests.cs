using System.Text.Json;
using Hearth.Tests.Http.Writes;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// What SQL sees of the request (request.jwt.claims, .headers, .cookies, .method, .path), the
/// --db-pre-request function, and response.status / response.headers set from SQL.
/// </summary>
[ClassDataSource<AuthHearth>(Shared = SharedType.PerTestSession)]
public class RequestContextTests(AuthHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Sql_sees_the_claims_method_path_headers_and_cookies()
    {
        var token = Jwt.Hs(Jwt.Claims(("role", "authenticated"), ("sub", "alice"), ("email", "alice@example.com"), ("exp", Jwt.Now + 60)));
        var r = await Get(Http, "rpc/request_context", Header(token), ("X-Custom", "custom value"), ("Cookie", "session=abc; theme=dark"));
        var c = r.Json();
        using var _ = Assert.Multiple();
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(c.GetProperty("role").GetString()).IsEqualTo("authenticated");
        await Assert.That(c.GetProperty("claims").GetProperty("sub").GetString()).IsEqualTo("alice");
        await Assert.That(c.GetProperty("claims").GetProperty("email").GetString()).IsEqualTo("alice@example.com");
        await Assert.That(c.GetProperty("claims").GetProperty("role").GetString()).IsEqualTo("authenticated");
        await Assert.That(c.GetProperty("method").GetString()).IsEqualTo("GET");
        await Assert.That(c.GetProperty("path").GetString()).IsEqualTo("/rpc/request_context");
        var headers = c.GetProperty("headers");
        await Assert.That(headers.GetProperty("x-custom").GetString()).IsEqualTo("custom value");
        await Assert.That(headers.GetProperty("authorization").GetString()).IsEqualTo("Bearer " + token);
        await Assert.That(headers.TryGetProperty("cookie", out JsonElement _)).IsFalse();
        await Assert.That(J.Canon(c.GetProperty("cookies").GetRawText())).IsEqualTo(J.Canon("""{"session":"abc","theme":"dark"}"""));
        await Assert.That(c.GetProperty("search_path").GetString()).IsEqualTo("\"public\", \"public\"");
    }

    [Test]
    public async Task An_anonymous_request_has_the_anon_role_as_its_only_claim()
    {
        var r = await Post(Http, "rpc/request_context", "{}");
        using var _ = Assert.Multiple();
        await Assert.That(r.Json().GetProperty("role").GetString()).IsEqualTo("anon");
        await Assert.That(J.Canon(r.Json().GetProperty("claims").GetRawText())).IsEqualTo("""{"role":"anon"}""");
        await Assert.That(r.Json().GetProperty("method").GetString()).IsEqualTo("POST");
        await Assert.That(J.Canon(r.Json().GetProperty("cookies").GetRawText())).IsEqualTo("{}");
    }

    [Test]
    public async Task Settings_do_not_leak_into_the_next_request()
    {
        for (var i = 0; i < 5; i++)
            await Get(Http, "rpc/request_context", Header(Jwt.For("authenticated", "leaky")), ("X-Leak", "yes"), ("Cookie", "leak=1"));
        // The pool's sessions are reused: what one request set must be gone for the next.
        for (var i = 0; i < 10; i++)
        {
            var r = await Get(Http, "rpc/request_context");
            using var _ = Assert.Multiple();
            await Assert.That(r.Json().GetProperty("role").GetString()).IsEqualTo("anon");
            await Assert.That(J.Canon(r.Json().GetProperty("claims").GetRawText())).IsEqualTo("""{"role":"anon"}""");
            await Assert.That(r.Json().GetProperty("headers").TryGetProperty("x-leak", out JsonElement _)).IsFalse();
            await Assert.That(J.Canon(r.Json().GetProperty("cookies").GetRawText())).IsEqualTo("{}");
        }
    }

    [Test]
    public async Task The_pre_request_function_runs_first_and_can_refuse_the_request()
    {
        using var _ = Assert.Multiple();
        var ok = await Get(Http, "notes?id=eq.1");
        await Assert.That(ok.Header("X-Pre-Request")).IsEqualTo("ran");
        var blocked = await Get(Http, "notes?id=eq.1", ("X-Block-Me", "yes"));
        await Assert.That(blocked.StatusAndJson).IsEqualTo(Error(403, "PT403", "Blocked by the pre-request function"));
        var blockedWrite = await Post(Http, "notes", """{"id":900,"body":"blocked"}""", ("X-Block-Me", "yes"));
        await Assert.That(blockedWrite.Code).IsEqualTo(403);
        await Assert.That((await Get(Http, "notes?id=eq.900")).StatusAndJson).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Response_status_and_headers_set_in_sql_are_applied()
    {
        var r = await Get(Http, "rpc/teapot");
        using var _ = Assert.Multiple();
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(418, "\"short and stout\""));
        await Assert.That(r.Header("X-Brew")).IsEqualTo("earl grey");
        await Assert.That(r.Header("Set-Cookie")).IsEqualTo("a=1, b=2");
    }

    [Test]
    public async Task A_void_function_can_set_a_cookie_and_override_status_and_location()
    {
        using var _ = Assert.Multiple();
        var login = await Post(Http, "rpc/log_in", "{}");
        await Assert.That(login.Code).IsEqualTo(204);
        await Assert.That(login.Header("Set-Cookie")).IsEqualTo("session=s1; HttpOnly");
        var created = await Post(Http, "rpc/created_elsewhere", "{}");
        await Assert.That(created.Code).IsEqualTo(201);
        await Assert.That(created.Header("Location")).IsEqualTo("/elsewhere");
    }

    [Test]
    public async Task Invalid_response_settings_are_500_PGRST111_and_PGRST112()
    {
        using var _ = Assert.Multiple();
        var headers = await Get(Http, "rpc/bad_headers");
        await Assert.That(headers.StatusAndJson).IsEqualTo(Error(500, "PGRST111",
            "response.headers guc must be a JSON array composed of objects with a single key and a string value"));
        var status = await Get(Http, "rpc/bad_status");
        await Assert.That(status.StatusAndJson).IsEqualTo(Error(500, "PGRST112", "response.status guc must be a valid status code"));
    }

    [Test]
    public async Task A_write_whose_response_settings_are_invalid_leaves_nothing_behind()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/add_note_badly", """{"id":901}""");
        await Assert.That(r.Code).IsEqualTo(500);
        await Assert.That((await Get(Http, "notes?id=eq.901")).StatusAndJson).IsEqualTo(Expect(200, "[]"));
    }
}
