using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Hosting;

namespace Hearth.Auth;

/// <summary>
/// The keys --jwt-secret names, as PostgREST reads jwt-secret: a shared secret (plain text, or base64
/// with --jwt-secret-is-base64), or a JWK / JWKS document. A value starting with @ is read from that file.
/// </summary>
public sealed class JwtKeySet(IReadOnlyList<JwtKey> keys)
{
    /// <summary>Shorter HMAC secrets are refused, as PostgREST does: they can be brute-forced.</summary>
    public const int MinimumSecretLength = 32;

    public IReadOnlyList<JwtKey> Keys { get; } = keys;

    /// <summary>Keys for a token header's alg and kid; a kid that matches nothing falls back to every key.</summary>
    public IEnumerable<JwtKey> Candidates(string alg, string? kid)
    {
        var usable = Keys.Where(k => k.Accepts(alg)).ToList();
        var named = kid is null ? [] : usable.Where(k => k.Id == kid).ToList();
        return named.Count > 0 ? named : usable;
    }

    /// <summary>Parses the configured value; errors never repeat the secret itself.</summary>
    public static JwtKeySet Parse(string value, bool isBase64, Func<string, string> readFile)
    {
        var text = value.StartsWith('@') ? readFile(value[1..]) : value;
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{')) return FromJson(trimmed);
        byte[] secret;
        if (isBase64)
        {
            // PostgREST accepts both alphabets here.
            var standard = trimmed.Replace('-', '+').Replace('_', '/');
            standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
            try { secret = Convert.FromBase64String(standard); }
            catch (FormatException) { throw new HearthStartupException("--jwt-secret is not valid base64 (--jwt-secret-is-base64 is set)."); }
        }
        else secret = Encoding.UTF8.GetBytes(text);
        if (secret.Length < MinimumSecretLength)
            throw new HearthStartupException($"--jwt-secret must be at least {MinimumSecretLength} characters long (or a JWK/JWKS).");
        return new JwtKeySet([new HmacKey(secret)]);
    }

    private static JwtKeySet FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var jwks = root.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
                ? keys.EnumerateArray().ToList()
                : [root];
            var parsed = jwks.Where(k => Str(k, "use") is null or "sig").Select(ParseJwk).ToList();
            if (parsed.Count == 0) throw new HearthStartupException("--jwt-secret: the JWKS holds no signing key.");
            return new JwtKeySet(parsed);
        }
        catch (Exception e) when (e is not HearthStartupException && e is JsonException or FormatException or CryptographicException or InvalidOperationException or KeyNotFoundException)
        {
            // A JSON parser's message can quote the input, which is secret.
            throw new HearthStartupException("--jwt-secret is not a valid JWK or JWKS" + (e is JsonException ? "." : ": " + e.Message));
        }
    }

    private static JwtKey ParseJwk(JsonElement jwk)
    {
        var kid = Str(jwk, "kid");
        var alg = Str(jwk, "alg");
        switch (Str(jwk, "kty"))
        {
            case "oct":
                return new HmacKey(Base64Url.Decode(Required(jwk, "k"))) { Id = kid, Algorithm = alg };
            case "RSA":
                return new RsaKey(new RSAParameters { Modulus = Base64Url.Decode(Required(jwk, "n")), Exponent = Base64Url.Decode(Required(jwk, "e")) })
                    { Id = kid, Algorithm = alg };
            case "EC":
                var (curve, curveAlg) = Str(jwk, "crv") switch
                {
                    "P-256" => (ECCurve.NamedCurves.nistP256, "ES256"),
                    "P-384" => (ECCurve.NamedCurves.nistP384, "ES384"),
                    "P-521" => (ECCurve.NamedCurves.nistP521, "ES512"),
                    var c => throw new HearthStartupException($"--jwt-secret: unsupported EC curve '{c}' (P-256, P-384, P-521)."),
                };
                var ec = new ECParameters { Curve = curve, Q = new ECPoint { X = Base64Url.Decode(Required(jwk, "x")), Y = Base64Url.Decode(Required(jwk, "y")) } };
                return new EcKey(ec, curveAlg) { Id = kid, Algorithm = alg };
            case var kty:
                throw new HearthStartupException($"--jwt-secret: unsupported JWK key type '{kty}' (oct, RSA, EC).");
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Required(JsonElement e, string name) =>
        Str(e, name) ?? throw new HearthStartupException($"--jwt-secret: a JWK lacks its \"{name}\" member.");
}
