using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>POST /token?grant_type=password | refresh_token.</summary>
public sealed class TokenHandler(AuthServerOptions options, AuthDatabase db, PasswordHasher hasher, PasswordPolicy policy,
    SessionIssuer sessions, AuthRateLimits limits, TimeProvider time)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var grant = ctx.Request.Query["grant_type"].ToString();
        var grantTag = new KeyValuePair<string, object?>("grant_type", grant is "password" or "refresh_token" ? grant : "other");
        IssuedSession issued;
        try
        {
            Func<HttpContext, Task<IssuedSession>> handler = grant switch
            {
                "password" => PasswordAsync,
                "refresh_token" => RefreshAsync,
                _ => throw AuthErrors.BadRequest("invalid_credentials", "unsupported_grant_type"),
            };
            limits.Token(ctx);
            issued = await handler(ctx);
        }
        catch (Exception e) when ((e as AuthException ?? (e as CommitThenFail)?.Error) is { } error)
        {
            Hosting.HearthMetrics.AuthSignInFailures.Add(1, grantTag, new KeyValuePair<string, object?>("error_code", error.ErrorCode));
            throw;
        }
        Hosting.HearthMetrics.AuthSignIns.Add(1, grantTag);
        await AuthJson.SendAsync(ctx, 200, issued.Write);
    }

    private async Task<IssuedSession> PasswordAsync(HttpContext ctx)
    {
        using var doc = await AuthJson.ReadObjectAsync(ctx);
        var email = AuthJson.String(doc.RootElement, "email") ?? "";
        var phone = AuthJson.String(doc.RootElement, "phone") ?? "";
        var password = AuthJson.String(doc.RootElement, "password") ?? "";
        if (email.Length > 0 && phone.Length > 0) throw AuthErrors.Validation("Only an email address or phone number should be provided on login.");
        if (email.Length == 0 && phone.Length == 0) throw AuthErrors.Validation("missing email or phone");
        if (email.Length == 0) throw AuthErrors.Unprocessable("phone_provider_disabled", "Phone logins are disabled");
        if (!options.EmailEnableSignup) throw AuthErrors.Unprocessable("email_provider_disabled", "Email logins are disabled");

        // The bcrypt check runs between two short transactions: no pooled connection waits on it.
        var user = await db.InTransactionAsync(conn => UserRepository.FindByEmailAsync(conn, email, options.Audience, ctx.RequestAborted), ctx.RequestAborted);
        if (user is null || !user.HasPassword) throw AuthErrors.InvalidCredentials();
        if (user.IsBanned(time.GetUtcNow().UtcDateTime)) throw AuthErrors.UserBanned();
        if (!await hasher.VerifyAsync(password, user.EncryptedPassword, ctx.RequestAborted)) throw AuthErrors.InvalidCredentials();
        if (!user.IsEmailConfirmed) throw AuthErrors.EmailNotConfirmed();
        var issued = await db.InTransactionAsync(conn => sessions.StartAsync(ctx, conn, user.Id), ctx.RequestAborted);
        // GoTrue signs the user in and tells the client when the password no longer meets the policy.
        try { policy.Check(password); }
        catch (AuthException weak) when (weak.WeakPasswordReasons is not null) { issued = issued with { WeakPassword = weak }; }
        return issued;
    }

    /// <summary>
    /// Rotation as GoTrue does it: the used token is revoked and a child token issued in the same session.
    /// A revoked token presented again gets the session's current token if that is its direct child
    /// (a client retrying a refresh whose answer it lost), a fresh child within the reuse interval, and
    /// otherwise refresh_token_already_used — after revoking every token of the session.
    /// </summary>
    private async Task<IssuedSession> RefreshAsync(HttpContext ctx)
    {
        using var doc = await AuthJson.ReadObjectAsync(ctx);
        var token = AuthJson.String(doc.RootElement, "refresh_token") ?? "";
        if (token.Length == 0) throw AuthErrors.OAuth("invalid_request", "refresh_token required");
        var ct = ctx.RequestAborted;

        return await db.InTransactionAsync(async conn =>
        {
            var row = await SessionRepository.FindTokenForUpdateAsync(conn, token, options.RefreshTokenReuseInterval, ct)
                ?? throw AuthErrors.RefreshTokenNotFound();
            var user = await UserRepository.FindByIdAsync(conn, row.UserId, ct) ?? throw AuthErrors.RefreshTokenNotFound();
            if (user.IsBanned(time.GetUtcNow().UtcDateTime)) throw AuthErrors.BadRequest("user_banned", "Invalid Refresh Token: User Banned");
            if (row.SessionId is not { } sessionId)
            {
                await SessionRepository.DeleteTokenAsync(conn, row.Id, ct);
                throw new CommitThenFail(AuthErrors.BadRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found"));
            }
            var signedInAt = await SessionRepository.FindAsync(conn, sessionId, user.Id, ct) ?? DateTime.UtcNow;

            string? issued = null;
            if (row.Revoked)
            {
                var active = await SessionRepository.ActiveTokenAsync(conn, sessionId, ct);
                if (active is { } a && a.Parent == row.Token) issued = a.Token;
                else if (row.ReuseWindowOver)
                {
                    if (options.EnableRefreshTokenRotation) await SessionRepository.RevokeFamilyAsync(conn, sessionId, ct);
                    throw new CommitThenFail(AuthErrors.RefreshTokenAlreadyUsed());
                }
            }
            if (issued is null)
            {
                await SessionRepository.RevokeAsync(conn, row.Id, ct);
                issued = await SessionRepository.IssueTokenAsync(conn, user.Id, sessionId, row.Token, ct);
            }
            await SessionRepository.TouchAsync(conn, sessionId, SessionIssuer.UserAgent(ctx), ctx.Connection.RemoteIpAddress, ct);
            return sessions.Sign(ctx, user, sessionId, signedInAt, issued);
        }, ct);
    }
}
