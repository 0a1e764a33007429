using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>Without --jwt-secret, requests without a token work and any token is refused (nothing can check it).</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class NoJwtSecretTests(SharedHearth hearth)
{
    [Test]
    public async Task A_token_without_a_configured_secret_is_500_PGRST300()
    {
        using var _ = Assert.Multiple();
        var r = await Get(hearth.Http, "authors?limit=1", Header(Jwt.For("authenticated")));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(500, "PGRST300", "Server lacks JWT secret"));
        await Assert.That(r.Header("WWW-Authenticate")).IsNull();
        var anonymous = await Get(hearth.Http, "authors?limit=1");
        await Assert.That(anonymous.Code).IsEqualTo(200);
    }
}
