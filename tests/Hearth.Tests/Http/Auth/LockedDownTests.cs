using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// No anon role (every request needs a token), asymmetric keys from a JWKS file, a namespaced role
/// claim, a CORS allow-list and --db-statement-timeout.
/// </summary>
[ClassDataSource<LockedHearth>(Shared = SharedType.PerClass)]
public class LockedDownTests(LockedHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Without_an_anon_role_a_request_without_a_token_is_401_PGRST302()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "notes?id=eq.1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST302", "Anonymous access is disabled"));
        await Assert.That(r.Header("WWW-Authenticate")).IsEqualTo("Bearer");
    }

    [Test]
    public async Task Rs256_and_es256_tokens_verify_against_the_jwks()
    {
        using var _ = Assert.Multiple();
        var rs = await Get(Http, "notes?select=id&id=eq.1", Header(Jwt.Rs256(hearth.Rsa, LockedHearth.ClaimsFor("authenticated", "alice"), "r1")));
        await Assert.That(rs.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1}]"""));
        var es = await Get(Http, "notes?select=id&id=eq.1", Header(Jwt.Es256(hearth.Ec, LockedHearth.ClaimsFor("authenticated", "alice"), "e1")));
        await Assert.That(es.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1}]"""));
        // Without a kid every key of the right type is tried.
        var noKid = await Get(Http, "notes?select=id&id=eq.1", Header(Jwt.Es256(hearth.Ec, LockedHearth.ClaimsFor("authenticated", "alice"))));
        await Assert.That(noKid.Code).IsEqualTo(200);
    }

    [Test]
    public async Task A_token_signed_by_another_key_or_with_a_shared_secret_is_refused()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        using var _ = Assert.Multiple();
        var foreign = await Get(Http, "notes", Header(Jwt.Rs256(other, LockedHearth.ClaimsFor("authenticated", "eve"), "r1")));
        await Assert.That(foreign.StatusAndJson).IsEqualTo(Error(401, "PGRST301", "No suitable key or wrong key type", "None of the keys was able to decode the JWT"));
        var hmac = await Get(Http, "notes", Header(Jwt.Hs(LockedHearth.ClaimsFor("authenticated", "eve"))));
        await Assert.That(hmac.StatusAndJson).IsEqualTo(Error(401, "PGRST301", "No suitable key or wrong key type", "No suitable key was found to decode the JWT"));
    }

    [Test]
    public async Task The_role_comes_from_the_configured_claim_path()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/request_context", Header(Jwt.Rs256(hearth.Rsa, LockedHearth.ClaimsFor("editor", "ed"), "r1")));
        await Assert.That(r.Json().GetProperty("role").GetString()).IsEqualTo("editor");
        // A plain "role" claim is not where this server looks: no role found and no anon role → 401.
        var plain = await Get(Http, "notes", Header(Jwt.Rs256(hearth.Rsa, Jwt.Claims(("role", "authenticated"), ("exp", Jwt.Now + 60)), "r1")));
        await Assert.That(plain.StatusAndJson).IsEqualTo(Error(401, "PGRST302", "Anonymous access is disabled"));
    }

    [Test]
    public async Task A_statement_timeout_from_the_config_applies()
    {
        var r = await Get(Http, "rpc/slow", Header(Jwt.Rs256(hearth.Rsa, LockedHearth.ClaimsFor("authenticated", "alice"), "r1")));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(500, "57014", "canceling statement due to statement timeout"));
    }

    [Test]
    public async Task Cors_echoes_an_allowed_origin_with_credentials_and_ignores_others()
    {
        using var _ = Assert.Multiple();
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, "notes"))
        {
            preflight.Headers.Add("Origin", LockedHearth.Origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            using var r = await Http.SendAsync(preflight);
            await Assert.That((int)r.StatusCode).IsEqualTo(200); // no token needed for a preflight
            await Assert.That(string.Join(",", r.Headers.GetValues("Access-Control-Allow-Origin"))).IsEqualTo(LockedHearth.Origin);
            await Assert.That(string.Join(",", r.Headers.GetValues("Access-Control-Allow-Credentials"))).IsEqualTo("true");
        }
        var token = Header(Jwt.Rs256(hearth.Rsa, LockedHearth.ClaimsFor("authenticated", "alice"), "r1"));
        var allowed = await Get(Http, "notes?id=eq.1", token, ("Origin", LockedHearth.Origin));
        await Assert.That(allowed.Header("Access-Control-Allow-Origin")).IsEqualTo(LockedHearth.Origin);
        var other = await Get(Http, "notes?id=eq.1", token, ("Origin", "http://evil.example"));
        await Assert.That(other.Code).IsEqualTo(200);
        await Assert.That(other.Header("Access-Control-Allow-Origin")).IsNull();
    }
}
