using System.Security.Cryptography;

namespace Hearth.Auth;

/// <summary>One key a token's signature can be checked with: a shared secret (HS*), an RSA (RS*) or an EC (ES*) public key.</summary>
public abstract class JwtKey
{
    /// <summary>The JWK's "kid", used to pick the key a token names in its header.</summary>
    public string? Id { get; init; }

    /// <summary>The JWK's "alg": when present, the only algorithm the key may be used with.</summary>
    public string? Algorithm { get; init; }

    public bool Accepts(string alg) => (Algorithm is null || Algorithm == alg) && Supports(alg);

    protected abstract bool Supports(string alg);

    public abstract bool Verify(string alg, byte[] signingInput, byte[] signature);

    protected static HashAlgorithmName Hash(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}

public sealed class HmacKey(byte[] secret) : JwtKey
{
    /// <summary>The shared secret itself: Hearth signs Supabase's API keys (`hearth keys`, the sidecar handshake) and the auth server's access tokens with it.</summary>
    internal byte[] Secret => secret;

    protected override bool Supports(string alg) => alg is "HS256" or "HS384" or "HS512";

    public override bool Verify(string alg, byte[] signingInput, byte[] signature)
    {
        byte[] expected = alg switch
        {
            "HS256" => HMACSHA256.HashData(secret, signingInput),
            "HS384" => HMACSHA384.HashData(secret, signingInput),
            _ => HMACSHA512.HashData(secret, signingInput),
        };
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}

public sealed class RsaKey(RSAParameters parameters) : JwtKey
{
    private readonly RSA _rsa = RSA.Create(parameters);

    protected override bool Supports(string alg) => alg is "RS256" or "RS384" or "RS512";

    public override bool Verify(string alg, byte[] signingInput, byte[] signature)
    {
        // Instances are not documented as thread-safe; verification only runs on a token cache miss.
        lock (_rsa) return _rsa.VerifyData(signingInput, signature, Hash(alg), RSASignaturePadding.Pkcs1);
    }
}

public sealed class EcKey(ECParameters parameters, string alg) : JwtKey
{
    private readonly ECDsa _ec = ECDsa.Create(parameters);

    // Each curve has exactly one JWS algorithm (RFC 7518 §3.4).
    protected override bool Supports(string requested) => requested == alg;

    public override bool Verify(string requested, byte[] signingInput, byte[] signature)
    {
        // JWS signatures are the raw r||s concatenation, .NET's default (IEEE P1363) format.
        lock (_ec) return _ec.VerifyData(signingInput, signature, Hash(requested));
    }
}
