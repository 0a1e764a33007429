using System.Security.Cryptography;
using System.Text;
using Hearth.Auth;
using Hearth.Hosting;
using Hearth.Errors;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

/// <summary>The forms --jwt-secret takes, checked by verifying real tokens with the keys they give.</summary>
public class JwtKeySetTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly string Claims = Jwt.Claims(("role", "authenticated"), ("exp", Jwt.Now + 60));

    private static JwtValidator Validator(string secret, bool base64 = false) =>
        new(JwtKeySet.Parse(secret, base64, File.ReadAllText), RoleClaimPath.Default, null, "anon");

    [Test]
    public async Task A_base64_secret_is_decoded_first()
    {
        var raw = RandomNumberGenerator.GetBytes(48); // binary secrets are what base64 is for
        var token = Jwt.Sign("HS256", null, Claims, input => HMACSHA256.HashData(raw, input));
        var verified = Validator(Convert.ToBase64String(raw), base64: true).Validate(token, Now);
        await Assert.That(verified.Role).IsEqualTo("authenticated");
        await Assert.That(() => Validator(Convert.ToBase64String(raw)).Validate(token, Now)).Throws<ApiException>();
    }

    [Test]
    public async Task A_single_jwk_inline_verifies_its_algorithm()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verified = Validator(Jwt.EcJwk(ec, "k")).Validate(Jwt.Es256(ec, Claims, "k"), Now);
        await Assert.That(verified.Role).IsEqualTo("authenticated");
    }

    [Test]
    public async Task An_oct_jwk_is_a_shared_secret()
    {
        var secret = Encoding.UTF8.GetBytes(Jwt.Secret);
        var verified = Validator($$"""{"kty":"oct","k":"{{Jwt.B64(secret)}}"}""").Validate(Jwt.Hs(Claims), Now);
        await Assert.That(verified.Role).IsEqualTo("authenticated");
    }

    [Test]
    public async Task Encryption_keys_in_a_jwks_are_not_used_for_signatures()
    {
        using var rsa = RSA.Create(2048);
        var jwk = Jwt.RsaJwk(rsa, "enc-key").Replace("\"use\":\"sig\"", "\"use\":\"enc\"");
        await Assert.That(() => JwtKeySet.Parse($$"""{"keys":[{{jwk}}]}""", false, File.ReadAllText)).Throws<HearthStartupException>();
    }

    [Test]
    public async Task A_key_file_is_read_with_at()
    {
        using var dir = new TempDir("jwk-file");
        using var rsa = RSA.Create(2048);
        var file = dir.Combine("key.json");
        await File.WriteAllTextAsync(file, Jwt.RsaJwk(rsa, "r"));
        var verified = Validator("@" + file).Validate(Jwt.Rs256(rsa, Claims, "r"), Now);
        await Assert.That(verified.Role).IsEqualTo("authenticated");
    }

    [Test]
    public async Task The_claims_sql_sees_carry_the_role_in_use_and_no_role_claim_means_anon()
    {
        var exp = Jwt.Now + 60;
        var verified = Validator(Jwt.Secret).Validate(Jwt.Hs(Jwt.Claims(("sub", "u1"), ("exp", exp), ("role", "ignored-then-replaced"))), Now);
        await Assert.That(verified.Role).IsEqualTo("ignored-then-replaced");
        var anonymous = Validator(Jwt.Secret).Validate(Jwt.Hs(Jwt.Claims(("sub", "u1"), ("exp", exp))), Now);
        await Assert.That(anonymous.Role).IsEqualTo("anon");
        await Assert.That(CanonicalJson.Canon(anonymous.ClaimsJson)).IsEqualTo(CanonicalJson.Canon($$"""{"sub":"u1","exp":{{exp}},"role":"anon"}"""));
    }
}
