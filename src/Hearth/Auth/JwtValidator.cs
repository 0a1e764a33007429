using Hearth.Errors;
using System.Text;
using System.Text.Json;

namespace Hearth.Auth;

/// <summary>
/// A verified token: the role the request runs as (its role claim, else the anon role), the claims as
/// request.jwt.claims shows them (with "role" set to that role, as PostgREST does), and when it expires.
/// </summary>
public sealed record VerifiedToken(string Role, string ClaimsJson, DateTimeOffset? Expires);

/// <summary>
/// Verifies a compact JWS (RFC 7515/7519) against the configured keys and checks its time and audience
/// claims. No library: the BCL has the cryptography and System.Text.Json the parsing, both AOT-safe.
/// </summary>
public sealed class JwtValidator(JwtKeySet keys, RoleClaimPath roleClaim, string? audience, string? anonRole)
{
    /// <summary>Clock difference tolerated between the token issuer and this machine, as in PostgREST.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromSeconds(30);

    /// <summary>Verifies <paramref name="token"/>; failures are thrown as PGRST301/PGRST303.</summary>
    public VerifiedToken Validate(string token, DateTimeOffset now)
    {
        if (token.Length == 0) throw ApiErrors.JwtInvalid("Empty JWT is sent in Authorization header");
        var parts = token.Split('.');
        if (parts.Length != 3) throw ApiErrors.JwtInvalid($"Expected 3 parts in JWT; got {parts.Length}");
        if (!Base64Url.TryDecode(parts[0], out var headerBytes) || !Base64Url.TryDecode(parts[1], out var payloadBytes) ||
            !Base64Url.TryDecode(parts[2], out var signature))
            throw ApiErrors.JwtInvalid("JWT cryptographic operation failed");

        var (alg, kid) = ReadHeader(headerBytes);
        // "none" and anything else we have no key type for never verify (RFC 8725 §3.1).
        if (alg == "none")
            throw ApiErrors.JwtInvalid("Wrong or unsupported encoding algorithm", "JWT is unsecured but expected 'alg' was not 'none'");
        if (alg is null || !IsKnownAlgorithm(alg)) throw ApiErrors.JwtInvalid("JWT cryptographic operation failed");
        var candidates = keys.Candidates(alg, kid).ToList();
        if (candidates.Count == 0) throw ApiErrors.JwtInvalid("No suitable key or wrong key type", "No suitable key was found to decode the JWT");
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!candidates.Any(k => k.Verify(alg, signingInput, signature)))
            throw ApiErrors.JwtInvalid("No suitable key or wrong key type", "None of the keys was able to decode the JWT");

        return CheckClaims(payloadBytes, now);
    }

    private VerifiedToken CheckClaims(byte[] payload, DateTimeOffset now)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(payload); }
        catch (JsonException) { throw ApiErrors.JwtClaims("Parsing claims failed"); }
        using (doc)
        {
            var claims = doc.RootElement;
            if (claims.ValueKind != JsonValueKind.Object) throw ApiErrors.JwtClaims("Parsing claims failed");
            var exp = TimeClaim(claims, "exp");
            if (exp is { } e && now > e + AllowedSkew) throw ApiErrors.JwtClaims("JWT expired");
            if (TimeClaim(claims, "nbf") is { } nbf && now + AllowedSkew < nbf) throw ApiErrors.JwtClaims("JWT not yet valid");
            if (TimeClaim(claims, "iat") is { } iat && now + AllowedSkew < iat) throw ApiErrors.JwtClaims("JWT issued at future");
            if (!InAudience(claims)) throw ApiErrors.JwtClaims("JWT not in audience");

            // A role claim that is not a string names no role that exists, which fails later as one (PostgREST does the same).
            var role = (roleClaim.Find(claims) is { } r ? (r.ValueKind == JsonValueKind.String ? r.GetString() : r.GetRawText()) : null)
                ?? anonRole ?? throw ApiErrors.TokenRequired();
            return new VerifiedToken(role, ClaimsJson.WithRole(claims, role), exp);
        }
    }

    private bool InAudience(JsonElement claims)
    {
        // A malformed aud is refused even when --jwt-aud is not set; a missing, null or empty one names no
        // audience in particular and passes (PostgREST's rules).
        if (!claims.TryGetProperty("aud", out var aud) || aud.ValueKind == JsonValueKind.Null) return true;
        var names = aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array when aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String) => aud.EnumerateArray().Select(a => a.GetString()!).ToList(),
            _ => throw ApiErrors.JwtClaims("The JWT 'aud' claim must be a string or an array of strings"),
        };
        return audience is null || (aud.ValueKind == JsonValueKind.Array && names.Count == 0) || names.Contains(audience);
    }

    private static DateTimeOffset? TimeClaim(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var seconds) || double.IsNaN(seconds) || Math.Abs(seconds) > 253402300799)
            throw ApiErrors.JwtClaims($"The JWT '{name}' claim must be a number");
        return DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(seconds);
    }

    private static (string? Alg, string? Kid) ReadHeader(byte[] header)
    {
        try
        {
            using var doc = JsonDocument.Parse(header);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw ApiErrors.JwtInvalid("JWT cryptographic operation failed");
            string? Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Str("alg"), Str("kid"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // InvalidOperation: an escape that is no valid UTF-16 string
        {
            throw ApiErrors.JwtInvalid("JWT cryptographic operation failed");
        }
    }

    private static bool IsKnownAlgorithm(string alg) => alg is "HS256" or "HS384" or "HS512" or "RS256" or "RS384" or "RS512" or "ES256" or "ES384" or "ES512";
}
