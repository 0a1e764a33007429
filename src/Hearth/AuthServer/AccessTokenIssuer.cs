using Hearth.Auth;

namespace Hearth.AuthServer;

/// <summary>
/// Signs access tokens as GoTrue does: HS256 with the project's JWT secret (the same --jwt-secret the REST
/// API verifies with), claims aud, exp, iat, iss, sub, email, phone, app_metadata, user_metadata, role,
/// aal, amr, session_id, is_anonymous.
/// </summary>
public sealed class AccessTokenIssuer(HearthOptions hearth, AuthServerOptions options, TimeProvider time)
{
    private readonly byte[]? _secret = hearth.JwtSigningSecret;

    public bool CanSign => _secret is not null;

    /// <summary>The token and its exp (Unix seconds).</summary>
    public (string Token, long ExpiresAt) Issue(UserRow user, Guid sessionId, DateTime signedInAt, string issuer)
    {
        if (_secret is null) throw AuthErrors.Unexpected("The auth server needs a shared --jwt-secret (HS256) to sign tokens");
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var exp = now + options.JwtExpiry;
        var claims = AuthJson.Build(w =>
        {
            w.WriteString("aud", user.Aud);
            w.WriteNumber("exp", exp);
            w.WriteNumber("iat", now);
            w.WriteString("iss", issuer);
            w.WriteString("sub", user.Id.ToString());
            w.WriteString("email", user.Email ?? "");
            w.WriteString("phone", user.Phone ?? "");
            AuthJson.WriteJson(w, "app_metadata", user.AppMetadataJson);
            AuthJson.WriteJson(w, "user_metadata", user.UserMetadataJson);
            w.WriteString("role", user.Role);
            w.WriteString("aal", "aal1");
            // GoTrue keeps each sign-in's methods in auth.mfa_amr_claims; Hearth has one method per
            // session (no MFA), known from the user: anonymous sign-in or password.
            w.WriteStartArray("amr");
            w.WriteStartObject();
            w.WriteString("method", user.IsAnonymous ? "anonymous" : "password");
            w.WriteNumber("timestamp", new DateTimeOffset(DateTime.SpecifyKind(signedInAt, DateTimeKind.Utc)).ToUnixTimeSeconds());
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("session_id", sessionId.ToString());
            w.WriteBoolean("is_anonymous", user.IsAnonymous);
        });
        return (Hs256Signer.Sign(_secret, claims), exp);
    }
}
