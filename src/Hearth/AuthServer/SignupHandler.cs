using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.AuthServer;

/// <summary>
/// POST /signup: email + password (data → raw_user_meta_data), or, with no email and no phone, an
/// anonymous sign-in when enabled. With confirmations off the user is confirmed and signed in at once
/// (a session comes back); with them on, the user comes back unconfirmed and without a session, as
/// GoTrue answers when it has no mailer to send the link with.
/// </summary>
public sealed class SignupHandler(AuthServerOptions options, AuthDatabase db, PasswordHasher hasher, PasswordPolicy policy,
    SessionIssuer sessions, AuthRateLimits limits)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        using var doc = await AuthJson.ReadObjectAsync(ctx);
        var body = doc.RootElement;
        var email = AuthJson.String(body, "email") ?? "";
        var phone = AuthJson.String(body, "phone") ?? "";
        var password = AuthJson.String(body, "password") ?? "";
        var data = AuthJson.Object(body, "data");

        if (email.Length == 0 && phone.Length == 0)
        {
            if (!options.EnableAnonymousSignIns) throw AuthErrors.AnonymousDisabled();
            limits.AnonymousSignIn(ctx);
            await SignUpAnonymouslyAsync(ctx, data);
            return;
        }
        limits.SignUp(ctx);
        if (!options.EnableSignup) throw AuthErrors.SignupDisabled();
        if (password.Length == 0) throw AuthErrors.Validation("Signup requires a valid password");
        policy.Check(password);
        if (email.Length > 0 && phone.Length > 0) throw AuthErrors.Validation("Only an email address or phone number should be provided on signup.");
        if (email.Length == 0) throw AuthErrors.BadRequest("phone_provider_disabled", "Phone signups are disabled");
        if (!options.EmailEnableSignup) throw AuthErrors.BadRequest("email_provider_disabled", "Email signups are disabled");
        email = EmailAddress.Normalize(email);

        var hash = await hasher.HashAsync(password, ctx.RequestAborted);
        var confirm = !options.EmailEnableConfirmations;
        var result = await db.InTransactionAsync(async conn =>
        {
            if (await UserRepository.FindByEmailAsync(conn, email, options.Audience, ctx.RequestAborted) is { } existing)
                return await ExistingUserAsync(conn, existing, email, data);
            var id = Guid.NewGuid();
            var metadata = UserMetadata(id, email, confirm, data);
            var app = AuthJson.Build(w =>
            {
                w.WriteString("provider", "email");
                w.WriteStartArray("providers");
                w.WriteStringValue("email");
                w.WriteEndArray();
            });
            try
            {
                await UserRepository.InsertAsync(conn, new NewUser(id, options.Audience, options.DefaultRole, email, hash, confirm, !confirm, app, metadata, false), ctx.RequestAborted);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw AuthErrors.UserAlreadyExists(); // a concurrent sign-up with the same email won
            }
            await UserRepository.InsertEmailIdentityAsync(conn, id, metadata, ctx.RequestAborted);
            if (confirm) return new SignupResult(await sessions.StartAsync(ctx, conn, id), null);
            return new SignupResult(null, await UserRepository.FindByIdAsync(conn, id, ctx.RequestAborted));
        }, ctx.RequestAborted);
        await SendAsync(ctx, result);
    }

    /// <summary>
    /// The email is taken. With confirmations off GoTrue says user_already_exists; with them on it does not
    /// reveal that the account exists: an unconfirmed user gets the confirmation "sent" again, a confirmed
    /// one a look-alike user object that is not stored.
    /// </summary>
    private async Task<SignupResult> ExistingUserAsync(NpgsqlConnection conn, UserRow existing, string email, string? data)
    {
        if (!options.EmailEnableConfirmations) throw AuthErrors.UserAlreadyExists();
        if (!existing.IsEmailConfirmed)
        {
            await UserRepository.SetConfirmationSentAsync(conn, existing.Id, CancellationToken.None);
            return new SignupResult(null, await UserRepository.FindByIdAsync(conn, existing.Id, CancellationToken.None));
        }
        var now = DateTime.UtcNow;
        var app = AuthJson.Build(w =>
        {
            w.WriteString("provider", "email");
            w.WriteStartArray("providers");
            w.WriteStringValue("email");
            w.WriteEndArray();
        });
        var fake = new UserRow(Guid.NewGuid(), options.Audience, "", email, null, null, null, null, now, null, null, null, null,
            app, data ?? "{}", "[]", now, now, null, null, false);
        return new SignupResult(null, fake);
    }

    private async Task SignUpAnonymouslyAsync(HttpContext ctx, string? data)
    {
        if (!options.EnableSignup) throw AuthErrors.SignupDisabled();
        var issued = await db.InTransactionAsync(async conn =>
        {
            var id = Guid.NewGuid();
            await UserRepository.InsertAsync(conn, new NewUser(id, options.Audience, options.DefaultRole, null, null, false, false, "{}", data ?? "{}", true), ctx.RequestAborted);
            return await sessions.StartAsync(ctx, conn, id);
        }, ctx.RequestAborted);
        await AuthJson.SendAsync(ctx, 200, issued.Write);
    }

    /// <summary>The sign-up's data, plus what GoTrue copies from the email identity (sub, email, verification flags) where data does not say otherwise.</summary>
    private static string UserMetadata(Guid id, string email, bool verified, string? data) => AuthJson.Build(w =>
    {
        var given = new HashSet<string>();
        if (data is not null)
        {
            using var d = JsonDocument.Parse(data);
            foreach (var p in d.RootElement.EnumerateObject())
            {
                given.Add(p.Name);
                p.WriteTo(w);
            }
        }
        if (given.Add("email")) w.WriteString("email", email);
        if (given.Add("email_verified")) w.WriteBoolean("email_verified", verified);
        if (given.Add("phone_verified")) w.WriteBoolean("phone_verified", false);
        if (given.Add("sub")) w.WriteString("sub", id.ToString());
    });

    private static Task SendAsync(HttpContext ctx, SignupResult result) => result.Session is { } s
        ? AuthJson.SendAsync(ctx, 200, s.Write)
        : AuthJson.SendAsync(ctx, 200, w => UserJson.Write(w, result.User!));

    private sealed record SignupResult(IssuedSession? Session, UserRow? User);
}
