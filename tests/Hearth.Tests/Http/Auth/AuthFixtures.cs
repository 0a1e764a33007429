using System.Security.Cryptography;
using Hearth.Tests.Infrastructure;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// Hearth with a shared JWT secret (given through HEARTH_JWT_SECRET), an audience, a pre-request
/// function, --db-max-rows 25, a 4 KiB body limit and request logging, serving Fixtures/auth_migrations.
/// </summary>
public sealed class AuthHearth : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new("auth");

    public HearthProcess Process { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Process = await HearthProcess.ServeAsync(_dir.Combine("data"), RepoPaths.Fixture("auth_migrations"),
            ["--jwt-aud", "hearth-tests", "--db-pre-request", "public.pre_request", "--db-max-rows", "25", "--max-body-bytes", "4096", "--log-requests"],
            new Dictionary<string, string> { ["HEARTH_JWT_SECRET"] = Jwt.Secret });
        // No cookie container: tests send Cookie headers themselves and Set-Cookie must not carry over.
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Process.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await Process.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>
/// Hearth locked down: no anon role, RS256/ES256 keys from a JWKS file, the role in a namespaced claim,
/// one allowed CORS origin and a 300 ms statement timeout.
/// </summary>
public sealed class LockedHearth : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new("auth-locked");

    public RSA Rsa { get; } = RSA.Create(2048);
    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public HearthProcess Process { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public const string Origin = "http://app.example";

    public async Task InitializeAsync()
    {
        var jwks = _dir.Combine("jwks.json");
        await File.WriteAllTextAsync(jwks, $$"""{"keys":[{{Jwt.RsaJwk(Rsa, "r1")}},{{Jwt.EcJwk(Ec, "e1")}}]}""");
        Process = await HearthProcess.ServeAsync(_dir.Combine("data"), RepoPaths.Fixture("auth_migrations"),
            ["--anon-role", "", "--jwt-secret", "@" + jwks, "--jwt-role-claim-key", """."https://hearth.dev/claims".role""",
             "--server-cors-allowed-origins", Origin + ", http://other.example", "--db-statement-timeout", "300"]);
        // No cookie container: tests send Cookie headers themselves and Set-Cookie must not carry over.
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Process.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Claims with the role where --jwt-role-claim-key points.</summary>
    public static string ClaimsFor(string role, string sub) =>
        Jwt.Claims(("sub", sub), ("exp", Jwt.Now + 3600), ("https://hearth.dev/claims", new RawJson($$"""{"role":"{{role}}"}""")));

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await Process.DisposeAsync();
        _dir.Dispose();
        Rsa.Dispose();
        Ec.Dispose();
    }
}

public static class Bearer
{
    public static (string, string) Header(string token) => ("Authorization", "Bearer " + token);
}
