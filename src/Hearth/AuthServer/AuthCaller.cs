using System.Text.Json;
using Hearth.Auth;
using Hearth.Response;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.AuthServer;

/// <summary>The verified claims of the bearer token /auth/v1 was called with.</summary>
public sealed record CallerClaims(string Role, string? Subject, string? SessionId, string? Audience);

/// <summary>A signed-in caller: their user row and, when the token names one, their session.</summary>
public sealed record Caller(CallerClaims Claims, UserRow User, Guid? SessionId);

/// <summary>
/// GoTrue's requireAuthentication / requireAdminCredentials: the bearer token is verified with the same
/// keys as the REST API (src/Hearth/Auth), then its user and session must still exist — a signed-out
/// session's tokens stop working here at once, while the REST API (like Supabase's PostgREST) only
/// verifies the token until it expires.
/// </summary>
public sealed class AuthCaller(HearthOptions hearth, AuthServerOptions options, TimeProvider time)
{
    // No audience check here: GoTrue compares the audience itself (GET /user), and the anon and
    // service_role keys carry none.
    private readonly JwtValidator? _validator = hearth.JwtKeys is { } keys ? new JwtValidator(keys, RoleClaimPath.Default, null, "anon") : null;

    public CallerClaims VerifyToken(HttpContext ctx)
    {
        var token = Authenticator.BearerToken(ctx.Request.Headers.Authorization.ToString());
        if (string.IsNullOrEmpty(token)) throw AuthErrors.NoAuthorization();
        if (_validator is null) throw AuthErrors.BadJwt("invalid JWT: unable to parse or verify signature, no JWT secret is configured");
        VerifiedToken verified;
        try { verified = _validator.Validate(token, time.GetUtcNow()); }
        catch (Errors.ApiException e) { throw AuthErrors.BadJwt("invalid JWT: unable to parse or verify signature, " + e.Error.Message); }
        using var doc = JsonDocument.Parse(verified.ClaimsJson);
        var c = doc.RootElement;
        return new CallerClaims(verified.Role, Str(c, "sub"), Str(c, "session_id"), Audience(c));
    }

    /// <summary>A signed-in user: the token's sub must be an existing user, its session_id an existing session.</summary>
    public async Task<Caller> RequireUserAsync(HttpContext ctx, NpgsqlConnection conn)
    {
        var claims = VerifyToken(ctx);
        if (string.IsNullOrEmpty(claims.Subject)) throw AuthErrors.BadJwt("invalid claim: missing sub claim");
        if (!Guid.TryParse(claims.Subject, out var userId)) throw AuthErrors.BadRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
        var user = await UserRepository.FindByIdAsync(conn, userId, ctx.RequestAborted)
            ?? throw AuthErrors.Forbidden("user_not_found", "User from sub claim in JWT does not exist");
        Guid? sessionId = null;
        if (!string.IsNullOrEmpty(claims.SessionId) && claims.SessionId != Guid.Empty.ToString())
        {
            if (!Guid.TryParse(claims.SessionId, out var sid)) throw AuthErrors.BadJwt("invalid claim: session_id claim must be a UUID");
            if (await SessionRepository.FindAsync(conn, sid, userId, ctx.RequestAborted) is null) throw AuthErrors.SessionNotFound();
            sessionId = sid;
        }
        if (user.IsBanned(time.GetUtcNow().UtcDateTime)) throw AuthErrors.Forbidden("user_banned", "User is banned");
        return new Caller(claims, user, sessionId);
    }

    /// <summary>The admin API: a valid token whose role is one of GoTrue's admin roles (service_role, supabase_admin).</summary>
    public void RequireAdmin(HttpContext ctx)
    {
        var claims = VerifyToken(ctx);
        if (!options.AdminRoles.Contains(claims.Role)) throw AuthErrors.NotAdmin();
    }

    private static string? Str(JsonElement c, string name) =>
        c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Audience(JsonElement c) =>
        c.TryGetProperty("aud", out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Array => v.EnumerateArray().FirstOrDefault().ValueKind == JsonValueKind.String ? v[0].GetString() : null,
            _ => null,
        } : null;
}
