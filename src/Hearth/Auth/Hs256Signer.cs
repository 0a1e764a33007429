using System.Security.Cryptography;
using System.Text;

namespace Hearth.Auth;

/// <summary>
/// The one place Hearth signs a JWT: compact JWS, HS256, header {"alg":"HS256","typ":"JWT"}, with the shared
/// JWT secret — the Supabase API keys, the auth server's access tokens and storage's signed-URL tokens.
/// </summary>
public static class Hs256Signer
{
    private static readonly string Header = Base64Url.Encode("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <param name="claimsJson">The payload, serialized by the caller (member order is theirs to choose).</param>
    public static string Sign(byte[] secret, string claimsJson)
    {
        var input = Header + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(claimsJson));
        return input + "." + Base64Url.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }
}
