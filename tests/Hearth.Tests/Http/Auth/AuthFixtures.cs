using System.Security.Cryptography;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// Hearth with a shared JWT secret (given through HEARTH_JWT_SECRET), an audience, a pre-request
/// function, --db-max-rows 25, a 4 KiB body limit and request logging, serving Fixtures/auth_migrations.
/// </summary>
public sealed class AuthHearth() : HearthFixture("auth", "auth_migrations")
{
    protected override Task<IEnumerable<string>> ArgsAsync() => Task.FromResult<IEnumerable<string>>(
        ["--jwt-aud", "hearth-tests", "--db-pre-request", "public.pre_request", "--db-max-rows", "25", "--max-body-bytes", "4096", "--log-requests"]);

    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["HEARTH_JWT_SECRET"] = Jwt.Secret };
}

/// <summary>
/// Hearth locked down: no anon role, RS256/ES256 keys from a JWKS file, the role in a namespaced claim,
/// two allowed CORS origins and a 300 ms statement timeout.
/// </summary>
public sealed class LockedHearth() : HearthFixture("auth-locked", "auth_migrations")
{
    public const string Origin = "http://app.example";

    public RSA Rsa { get; } = RSA.Create(2048);
    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override async Task<IEnumerable<string>> ArgsAsync()
    {
        var jwks = Dir("jwks.json");
        await File.WriteAllTextAsync(jwks, $$"""{"keys":[{{Jwt.RsaJwk(Rsa, "r1")}},{{Jwt.EcJwk(Ec, "e1")}}]}""");
        return ["--anon-role", "", "--jwt-secret", "@" + jwks, "--jwt-role-claim-key", """."https://hearth.dev/claims".role""",
            "--server-cors-allowed-origins", Origin + ", http://other.example", "--db-statement-timeout", "300"];
    }

    /// <summary>Claims with the role where --jwt-role-claim-key points.</summary>
    public static string ClaimsFor(string role, string sub) =>
        Jwt.Claims(("sub", sub), ("exp", Jwt.Now + 3600), ("https://hearth.dev/claims", new RawJson($$"""{"role":"{{role}}"}""")));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Rsa.Dispose();
        Ec.Dispose();
    }
}

public static class Bearer
{
    public static (string, string) Header(string token) => ("Authorization", "Bearer " + token);
}
