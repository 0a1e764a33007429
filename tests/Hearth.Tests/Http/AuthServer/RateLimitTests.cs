using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>Sign-ups disabled, and per-IP rate limits (3 sign-ups, 3 /token calls, 2 anonymous sign-ins) answering 429.</summary>
[ClassDataSource<LimitedGoTrueHearth>(Shared = SharedType.PerTestSession)]
public class RateLimitTests(LimitedGoTrueHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Sign_ups_are_disabled_then_rate_limited()
    {
        using var all = Assert.Multiple();
        for (var i = 0; i < 3; i++)
            await Assert.That((await SignUp(Http, NewEmail())).ToString()).IsEqualTo("""422 {"code":"signup_disabled","message":"Signups not allowed for this instance"}""");
        await Assert.That((await SignUp(Http, NewEmail())).ToString()).IsEqualTo("""429 {"code":"over_request_rate_limit","message":"Request rate limit reached"}""");
        var legacy = await Post(Http, "signup", Obj(("email", NewEmail()), ("password", Password)), apiVersion: null);
        await Assert.That(legacy.ToString()).IsEqualTo("""429 {"code":429,"error_code":"over_request_rate_limit","msg":"Request rate limit reached"}""");
    }

    [Test]
    public async Task The_token_endpoint_is_rate_limited()
    {
        using var all = Assert.Multiple();
        for (var i = 0; i < 3; i++) await Assert.That((await SignIn(Http, NewEmail())).Status).IsEqualTo(400);
        await Assert.That((await SignIn(Http, NewEmail())).ErrorCode).IsEqualTo("over_request_rate_limit");
        await Assert.That((await Refresh(Http, "whatever1234")).Status).IsEqualTo(429);
    }

    [Test]
    public async Task Anonymous_sign_ins_have_their_own_limit()
    {
        using var all = Assert.Multiple();
        for (var i = 0; i < 2; i++) await Assert.That((await Post(Http, "signup", "{}")).ErrorCode).IsEqualTo("signup_disabled");
        await Assert.That((await Post(Http, "signup", "{}")).Status).IsEqualTo(429);
    }
}
