using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// Without --jwt-secret, embedded mode verifies tokens with a secret generated into the data dir: requests
/// without a token work, and a token signed with anything else is a 401 (PGRST300 is left to --database-url
/// without a secret, where nothing can check a token).
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class NoJwtSecretTests(SharedHearth hearth)
{
    [Test]
    public async Task A_token_not_signed_with_the_generated_secret_is_401_PGRST301()
    {
        using var _ = Assert.Multiple();
        var r = await Get(hearth.Http, "authors?limit=1", Header(Jwt.For("authenticated")));
        // The external job runs this Hearth with --database-url: no data dir, so no generated secret (PostgREST's 500 PGRST300).
        await Assert.That(r.Code).IsEqualTo(HearthFixture.ExternalMode ? 500 : 401);
        await Assert.That(r.Body).Contains(HearthFixture.ExternalMode ? "PGRST300" : "PGRST301");
        var anonymous = await Get(hearth.Http, "authors?limit=1");
        await Assert.That(anonymous.Code).IsEqualTo(200);
    }
}
