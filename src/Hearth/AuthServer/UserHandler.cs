using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>GET /user and PUT /user (email, password, data) for the signed-in user.</summary>
public sealed class UserHandler(AuthServerOptions options, AuthDatabase db, AuthCaller caller, PasswordHasher hasher, PasswordPolicy policy)
{
    public async Task GetAsync(HttpContext ctx)
    {
        var me = await db.InTransactionAsync(conn => caller.RequireUserAsync(ctx, conn), ctx.RequestAborted);
        if (me.Claims.Audience != options.Audience) throw AuthErrors.Validation("Token audience doesn't match request audience");
        await AuthJson.SendAsync(ctx, 200, w => UserJson.Write(w, me.User));
    }

    /// <summary>
    /// A new password signs the user's other sessions out (GoTrue's rule); data merges into user_metadata
    /// (a null value removes a key). A new email applies at once when confirmations are off — there is no
    /// mailer to confirm it with — and is recorded as pending (new_email) when they are on.
    /// </summary>
    public async Task PutAsync(HttpContext ctx)
    {
        using var doc = await AuthJson.ReadObjectAsync(ctx);
        var body = doc.RootElement;
        var email = AuthJson.String(body, "email") ?? "";
        var password = AuthJson.String(body, "password");
        var data = AuthJson.Object(body, "data");
        var appData = AuthJson.Object(body, "app_metadata");
        if (AuthJson.String(body, "phone") is { Length: > 0 }) throw AuthErrors.Unprocessable("phone_provider_disabled", "Phone logins are disabled");
        if (email.Length > 0) email = EmailAddress.Normalize(email);
        if (password is not null) policy.Check(password);
        var ct = ctx.RequestAborted;

        // Who is asking, and whether the new password differs, before any write (bcrypt outside the transaction).
        var me = await db.InTransactionAsync(conn => caller.RequireUserAsync(ctx, conn), ct);
        var user = me.User;
        if (appData is not null) throw AuthErrors.Forbidden("not_admin", "Updating app_metadata requires admin privileges");
        if (user.IsAnonymous && !string.IsNullOrEmpty(password) && email.Length == 0)
            throw AuthErrors.Unprocessable("validation_failed", "Updating password of an anonymous user without an email or phone is not allowed");
        string? hash = null;
        if (!string.IsNullOrEmpty(password))
        {
            if (user.HasPassword && await hasher.VerifyAsync(password, user.EncryptedPassword, ct))
                throw AuthErrors.Unprocessable("same_password", "New password should be different from the old password.");
            hash = await hasher.HashAsync(password, ct);
        }

        var updated = await db.InTransactionAsync(async conn =>
        {
            if (email.Length > 0 && email != user.Email)
            {
                if (await UserRepository.EmailTakenAsync(conn, email, user.Aud, user.Id, ct)) throw AuthErrors.EmailExists();
                if (options.EmailEnableConfirmations) await UserRepository.SetPendingEmailAsync(conn, user.Id, email, ct);
                else await UserRepository.SetEmailAsync(conn, user.Id, email, confirmed: true, ct);
            }
            if (hash is not null)
            {
                await UserRepository.SetPasswordAsync(conn, user.Id, hash, ct);
                if (me.SessionId is { } keep) await SessionRepository.DeleteOthersAsync(conn, user.Id, keep, ct);
                else await SessionRepository.DeleteAllAsync(conn, user.Id, ct);
            }
            if (data is not null) await UserRepository.MergeMetadataAsync(conn, user.Id, appMetadata: false, data, ct);
            return await UserRepository.FindByIdAsync(conn, user.Id, ct) ?? throw AuthErrors.UserNotFound();
        }, ct);
        await AuthJson.SendAsync(ctx, 200, w => UserJson.Write(w, updated));
    }
}
