using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.AuthServer;

/// <summary>What /token and /signup answer with: GoTrue's AccessTokenResponse.</summary>
public sealed record IssuedSession(string AccessToken, long ExpiresIn, long ExpiresAt, string RefreshToken, UserRow User, AuthException? WeakPassword = null)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("access_token", AccessToken);
        w.WriteString("token_type", "bearer");
        w.WriteNumber("expires_in", ExpiresIn);
        w.WriteNumber("expires_at", ExpiresAt);
        w.WriteString("refresh_token", RefreshToken);
        w.WritePropertyName("user");
        UserJson.Write(w, User);
        if (WeakPassword is { } weak)
        {
            w.WriteStartObject("weak_password");
            w.WriteString("message", weak.Message);
            w.WriteStartArray("reasons");
            foreach (var r in weak.WeakPasswordReasons ?? []) w.WriteStringValue(r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}

/// <summary>Starts sessions (sign-in, sign-up) and signs their access tokens.</summary>
public sealed class SessionIssuer(AccessTokenIssuer tokens, TimeProvider time)
{
    /// <summary>A new session with its first refresh token; the user's last_sign_in_at moves to now.</summary>
    public async Task<IssuedSession> StartAsync(HttpContext ctx, NpgsqlConnection conn, Guid userId)
    {
        var ct = ctx.RequestAborted;
        var (sessionId, createdAt) = await SessionRepository.CreateAsync(conn, userId, UserAgent(ctx), ctx.Connection.RemoteIpAddress, ct);
        var refresh = await SessionRepository.IssueTokenAsync(conn, userId, sessionId, null, ct);
        await UserRepository.TouchLastSignInAsync(conn, userId, ct);
        var user = await UserRepository.FindByIdAsync(conn, userId, ct) ?? throw AuthErrors.UserNotFound();
        return Sign(ctx, user, sessionId, createdAt, refresh);
    }

    public IssuedSession Sign(HttpContext ctx, UserRow user, Guid sessionId, DateTime signedInAt, string refreshToken)
    {
        var (access, exp) = tokens.Issue(user, sessionId, signedInAt, Issuer(ctx));
        return new IssuedSession(access, exp - time.GetUtcNow().ToUnixTimeSeconds(), exp, refreshToken, user);
    }

    public static string? UserAgent(HttpContext ctx) => ctx.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null;

    /// <summary>GoTrue's iss is its external URL: here the URL the client reached /auth/v1 at.</summary>
    private static string Issuer(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}/auth/v1";
}
