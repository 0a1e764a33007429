using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hearth.Tests.Infrastructure;

/// <summary>Mints test tokens the way an identity provider would (compact JWS), including broken ones.</summary>
public static class Jwt
{
    public const string Secret = "hearth-tests-shared-secret-0123456789abcdef";

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    /// <summary>An HMAC-signed token (HS256 unless told).</summary>
    public static string Hs(string claimsJson, string alg = "HS256", string secret = Secret, string? kid = null)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        return Sign(alg, kid, claimsJson, input => alg switch
        {
            "HS384" => HMACSHA384.HashData(key, input),
            "HS512" => HMACSHA512.HashData(key, input),
            _ => HMACSHA256.HashData(key, input),
        });
    }

    public static string Rs256(RSA rsa, string claimsJson, string? kid = null) =>
        Sign("RS256", kid, claimsJson, input => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Es256(ECDsa ec, string claimsJson, string? kid = null) =>
        Sign("ES256", kid, claimsJson, input => ec.SignData(input, HashAlgorithmName.SHA256));

    /// <summary>An unsecured token (alg "none", empty signature) — must never be accepted.</summary>
    public static string None(string claimsJson) => B64("""{"alg":"none","typ":"JWT"}""") + "." + B64(claimsJson) + ".";

    public static string Sign(string alg, string? kid, string claimsJson, Func<byte[], byte[]> sign)
    {
        var header = kid is null ? $$"""{"alg":"{{alg}}","typ":"JWT"}""" : $$"""{"alg":"{{alg}}","typ":"JWT","kid":"{{kid}}"}""";
        var input = B64(header) + "." + B64(claimsJson);
        return input + "." + B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>Claims JSON from pairs; numbers stay numbers.</summary>
    public static string Claims(params (string Name, object Value)[] claims)
    {
        var dict = claims.ToDictionary(c => c.Name, c => c.Value);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (name, value) in dict)
            {
                w.WritePropertyName(name);
                switch (value)
                {
                    case long l: w.WriteNumberValue(l); break;
                    case int i: w.WriteNumberValue(i); break;
                    case string s: w.WriteStringValue(s); break;
                    case string[] a: w.WriteStartArray(); foreach (var s in a) w.WriteStringValue(s); w.WriteEndArray(); break;
                    case RawJson raw: w.WriteRawValue(raw.Json); break;
                    default: throw new ArgumentException("unsupported claim value " + value.GetType());
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A token for a user: role and sub, expiring in an hour.</summary>
    public static string For(string role, string? sub = null) =>
        Hs(sub is null ? Claims(("role", role), ("exp", Now + 3600)) : Claims(("role", role), ("sub", sub), ("exp", Now + 3600)));

    public static string RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return $$"""{"kty":"RSA","kid":"{{kid}}","use":"sig","alg":"RS256","n":"{{B64(p.Modulus!)}}","e":"{{B64(p.Exponent!)}}"}""";
    }

    public static string EcJwk(ECDsa ec, string kid)
    {
        var p = ec.ExportParameters(false);
        return $$"""{"kty":"EC","kid":"{{kid}}","crv":"P-256","x":"{{B64(p.Q.X!)}}","y":"{{B64(p.Q.Y!)}}"}""";
    }
}

public sealed record RawJson(string Json);
