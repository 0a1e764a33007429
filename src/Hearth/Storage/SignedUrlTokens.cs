using System.Buffers;
using System.Text;
using System.Text.Json;
using Hearth.Auth;
using Hearth.Errors;

namespace Hearth.Storage;

/// <summary>A verified signed-URL token: the object it is for, when it expires, and for uploads the owner and upsert.</summary>
public sealed record SignedToken(string Url, long Exp, string? Owner, bool Upsert);

/// <summary>
/// Signed-URL tokens as Supabase's storage server makes them: HS256 JWTs signed with the project's JWT secret,
/// claims url ("bucket/name"), scope (download | upload), iat, exp, and for uploads owner and upsert. Verified
/// with the same keys as every other token; a token for another object, another scope, expired or tampered is refused.
/// </summary>
public sealed class SignedUrlTokens(HearthOptions options, TimeProvider time)
{
    public const string Download = "download";
    public const string Upload = "upload";

    private readonly JwtValidator? _validator = options.JwtKeys is { } keys ? new JwtValidator(keys, RoleClaimPath.Default, null, "anon") : null;

    public string Sign(string url, string scope, long expiresIn, string? owner = null, bool upsert = false)
    {
        var secret = options.JwtSigningSecret ?? throw StorageErrors.Internal("Signed URLs need a shared --jwt-secret (HS256) to sign with; none is configured");
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (scope == Upload)
            {
                if (owner is null) w.WriteNull("owner"); else w.WriteString("owner", owner);
                w.WriteBoolean("upsert", upsert);
            }
            w.WriteString("url", url);
            w.WriteString("scope", scope);
            w.WriteNumber("iat", now);
            w.WriteNumber("exp", now + expiresIn);
            w.WriteEndObject();
        }
        return Hs256Signer.Sign(secret, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public SignedToken Verify(string? token, string bucket, string name, string scope)
    {
        if (string.IsNullOrEmpty(token)) throw StorageErrors.InvalidRequest("querystring must have required property 'token'");
        if (_validator is null) throw StorageErrors.InvalidJwt("no JWT secret is configured");
        VerifiedToken verified;
        // The validator tolerates a little clock skew; a signed URL's expiry is checked exactly below.
        try { verified = _validator.Validate(token, time.GetUtcNow()); }
        catch (ApiException e) { throw e.Error.Message.Contains("expired", StringComparison.OrdinalIgnoreCase) ? StorageErrors.ExpiredSignature() : StorageErrors.InvalidJwt(e.Error.Message); }
        using var doc = JsonDocument.Parse(verified.ClaimsJson);
        var c = doc.RootElement;
        var tokenScope = Str(c, "scope");
        var isUpload = c.TryGetProperty("upsert", out _) || c.TryGetProperty("owner", out _);
        if (tokenScope is not null ? tokenScope != scope : (scope == Upload) != isUpload)
            throw StorageErrors.InvalidSignature($"Token is not scoped for {scope}");
        if (Str(c, "url") != bucket + "/" + name) throw StorageErrors.InvalidSignature();
        var exp = c.TryGetProperty("exp", out var e2) && e2.TryGetInt64(out var x) ? x : 0;
        if (exp < time.GetUtcNow().ToUnixTimeSeconds()) throw StorageErrors.ExpiredSignature();
        return new SignedToken(bucket + "/" + name, exp, Str(c, "owner"), c.TryGetProperty("upsert", out var u) && u.ValueKind == JsonValueKind.True);
    }

    private static string? Str(JsonElement c, string name) =>
        c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
