using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;
using static Hearth.Tests.Infrastructure.Jwt;

namespace Hearth.Tests.Http.Auth;

/// <summary>Which tokens are accepted, and how each bad one is refused (status, PGRST30x body, WWW-Authenticate).</summary>
[ClassDataSource<AuthHearth>(Shared = SharedType.PerTestSession)]
public class JwtTests(AuthHearth hearth)
{
    private HttpClient Http => hearth.Http;

    private const string MembersOnly = "members_only?select=secret";
    private const string MemberRow = """[{"secret":"for members"}]""";

    private static string InvalidToken(string description) => $"Bearer error=\"invalid_token\", error_description=\"{description}\"";

    [Test]
    [Arguments("HS256")]
    [Arguments("HS384")]
    [Arguments("HS512")]
    public async Task A_valid_hmac_token_runs_the_request_as_its_role(string alg)
    {
        var r = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("exp", Now + 60)), alg)));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, MemberRow));
    }

    [Test]
    public async Task Without_a_token_the_request_is_anonymous_and_a_denied_table_is_401_with_a_challenge()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, MembersOnly);
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "42501", "permission denied for table members_only"));
        await Assert.That(r.Header("WWW-Authenticate")).IsEqualTo("Bearer");
    }

    [Test]
    public async Task A_token_without_a_role_claim_or_with_the_anon_role_counts_as_anonymous()
    {
        using var _ = Assert.Multiple();
        var noRole = await Get(Http, MembersOnly, Header(Hs(Claims(("sub", "carol"), ("exp", Now + 60)))));
        await Assert.That(noRole.Code).IsEqualTo(401);
        var anon = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "anon"), ("exp", Now + 60)))));
        await Assert.That(anon.StatusAndJson).IsEqualTo(Error(401, "42501", "permission denied for table members_only"));
    }

    [Test]
    public async Task The_scheme_is_case_insensitive_and_other_schemes_are_no_token()
    {
        using var _ = Assert.Multiple();
        var token = For("authenticated");
        await Assert.That((await Get(Http, MembersOnly, ("Authorization", "bearer " + token))).Code).IsEqualTo(200);
        await Assert.That((await Get(Http, MembersOnly, ("Authorization", "BEARER  " + token))).Code).IsEqualTo(200);
        // Basic credentials are not a JWT: anonymous, so the member table is refused as for no token.
        var basic = await Get(Http, MembersOnly, ("Authorization", "Basic dXNlcjpwYXNz"));
        await Assert.That(basic.Code).IsEqualTo(401);
        await Assert.That(basic.Json().GetProperty("code").GetString()).IsEqualTo("42501");
    }

    [Test]
    public async Task A_forged_signature_is_401_PGRST301()
    {
        using var _ = Assert.Multiple();
        var forged = Hs(Claims(("role", "authenticated"), ("exp", Now + 60)), secret: "another-secret-that-is-long-enough-to-use!!");
        var r = await Get(Http, MembersOnly, Header(forged));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST301", "No suitable key or wrong key type", "None of the keys was able to decode the JWT"));
        await Assert.That(r.Header("WWW-Authenticate")).IsEqualTo(InvalidToken("No suitable key or wrong key type"));
    }

    [Test]
    public async Task A_payload_changed_after_signing_is_refused()
    {
        var parts = For("anon", "mallory").Split('.');
        var tampered = parts[0] + "." + B64(Claims(("role", "authenticated"), ("sub", "mallory"), ("exp", Now + 60))) + "." + parts[2];
        var r = await Get(Http, MembersOnly, Header(tampered));
        await Assert.That(r.Json().GetProperty("code").GetString()).IsEqualTo("PGRST301");
    }

    [Test]
    public async Task Alg_none_is_refused()
    {
        var r = await Get(Http, MembersOnly, Header(None(Claims(("role", "authenticated"), ("exp", Now + 60)))));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST301", "Wrong or unsupported encoding algorithm",
            "JWT is unsecured but expected 'alg' was not 'none'"));
    }

    [Test]
    public async Task An_algorithm_the_key_cannot_check_is_refused()
    {
        // RS256 against a shared secret: the classic key-confusion attack must not verify with the secret.
        var token = Sign("RS256", null, Claims(("role", "authenticated")), input => System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), input));
        var r = await Get(Http, MembersOnly, Header(token));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST301", "No suitable key or wrong key type", "No suitable key was found to decode the JWT"));
    }

    [Test]
    [Arguments("not-a-jwt", "Expected 3 parts in JWT; got 1")]
    [Arguments("a.b", "Expected 3 parts in JWT; got 2")]
    [Arguments("quifquirndsjagnrgniur.fonvoienqhhdj.iuqvnvhojah", "JWT cryptographic operation failed")]
    public async Task A_malformed_token_is_401_PGRST301(string token, string message)
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "notes", Header(token));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST301", message));
        await Assert.That(r.Header("WWW-Authenticate")).IsEqualTo(InvalidToken(message));
    }

    [Test]
    public async Task An_empty_bearer_token_is_an_error_not_anonymous()
    {
        var r = await Get(Http, "notes", ("Authorization", "Bearer"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST301", "Empty JWT is sent in Authorization header"));
    }

    [Test]
    public async Task Auth_comes_before_routing_so_a_bad_token_on_an_unknown_path_is_401()
    {
        var r = await Get(Http, "no_such_table", Header("x.y"));
        await Assert.That(r.Code).IsEqualTo(401);
    }

    [Test]
    public async Task An_expired_token_is_401_PGRST303_with_30_seconds_of_clock_skew()
    {
        using var _ = Assert.Multiple();
        var expired = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("exp", Now - 45)))));
        await Assert.That(expired.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "JWT expired"));
        await Assert.That(expired.Header("WWW-Authenticate")).IsEqualTo(InvalidToken("JWT expired"));
        var withinSkew = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("exp", Now - 10)))));
        await Assert.That(withinSkew.Code).IsEqualTo(200);
    }

    [Test]
    public async Task A_token_not_valid_yet_is_401_PGRST303()
    {
        using var _ = Assert.Multiple();
        var nbf = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("nbf", Now + 120)))));
        await Assert.That(nbf.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "JWT not yet valid"));
        var iat = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("iat", Now + 120)))));
        await Assert.That(iat.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "JWT issued at future"));
        var nbfWithinSkew = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("nbf", Now + 10)))));
        await Assert.That(nbfWithinSkew.Code).IsEqualTo(200);
    }

    [Test]
    public async Task A_time_claim_that_is_not_a_number_is_refused()
    {
        var r = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("exp", "tomorrow")))));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "The JWT 'exp' claim must be a number"));
    }

    [Test]
    public async Task The_audience_must_match_jwt_aud_when_the_token_names_one()
    {
        using var _ = Assert.Multiple();
        var wrong = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("aud", "someone-else")))));
        await Assert.That(wrong.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "JWT not in audience"));
        var right = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("aud", "hearth-tests")))));
        await Assert.That(right.Code).IsEqualTo(200);
        var inList = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("aud", new[] { "x", "hearth-tests" })))));
        await Assert.That(inList.Code).IsEqualTo(200);
        var malformed = await Get(Http, MembersOnly, Header(Hs(Claims(("role", "authenticated"), ("aud", 42)))));
        await Assert.That(malformed.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "The JWT 'aud' claim must be a string or an array of strings"));
    }

    [Test]
    public async Task Claims_that_are_not_an_object_are_refused()
    {
        var r = await Get(Http, MembersOnly, Header(Hs("[1,2]")));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "PGRST303", "Parsing claims failed"));
    }

    [Test]
    public async Task A_role_that_does_not_exist_is_401_never_a_fallback()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "notes?limit=1", Header(For("no_such_role")));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "22023", "role \"no_such_role\" does not exist"));
        await Assert.That(r.Header("WWW-Authenticate")).IsEqualTo("Bearer");
    }

    [Test]
    [Arguments("none")]
    [Arguments("NONE")]
    [Arguments("authenticator")]
    [Arguments("")]
    [Arguments("default")]
    [Arguments("session_user")]
    public async Task A_role_claim_that_is_no_api_role_never_runs_as_the_authenticator(string role)
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/request_context", "{}", Header(For(role)));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "22023", $"role \"{role}\" does not exist"));
        await Assert.That(r.Header("WWW-Authenticate")).IsEqualTo("Bearer");
    }

    [Test]
    public async Task A_role_the_authenticator_cannot_become_is_refused_not_escalated()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "notes?limit=1", Header(For("postgres")));
        await Assert.That(r.Code).IsEqualTo(403);
        await Assert.That(r.Json().GetProperty("code").GetString()).IsEqualTo("42501");
        var superuser = await Get(Http, "notes?limit=1", Header(For("hearth")));
        await Assert.That(superuser.Code).IsIn(401, 403);
    }

    [Test]
    public async Task Tokens_and_the_secret_never_reach_the_logs()
    {
        var token = For("authenticated", "log-check");
        var r = await Get(Http, MembersOnly, Header(token));
        await Assert.That(r.Code).IsEqualTo(200);
        await Task.Delay(200); // the request line is logged as the response completes
        using var _ = Assert.Multiple();
        await Assert.That(hearth.Process.Stderr).Contains("GET /members_only");
        await Assert.That(hearth.Process.Stderr).DoesNotContain(token.Split('.')[2]);
        await Assert.That(hearth.Process.Stderr).DoesNotContain(Secret);
        await Assert.That(hearth.Process.Stdout).DoesNotContain(Secret);
    }
}
