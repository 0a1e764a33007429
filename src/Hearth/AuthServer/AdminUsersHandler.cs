using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.AuthServer;

/// <summary>
/// The admin API for the service_role key: GET/POST /admin/users, GET/PUT/DELETE /admin/users/{id}.
/// Admin writes skip sign-up rules (disabled sign-ups, confirmations) as GoTrue's do.
/// </summary>
public sealed partial class AdminUsersHandler(AuthServerOptions options, AuthDatabase db, AuthCaller caller, PasswordHasher hasher, PasswordPolicy policy)
{
    private const int DefaultPerPage = 50;

    public async Task ListAsync(HttpContext ctx)
    {
        caller.RequireAdmin(ctx);
        var page = PageParam(ctx, "page", 1);
        var perPage = PageParam(ctx, "per_page", DefaultPerPage);
        var (users, total) = await db.InTransactionAsync(conn => UserRepository.ListAsync(conn, options.Audience, page, perPage, ctx.RequestAborted), ctx.RequestAborted);
        ctx.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["Link"] = Links(ctx, page, perPage, total);
        await AuthJson.SendAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("users");
            foreach (var u in users) UserJson.Write(w, u);
            w.WriteEndArray();
            w.WriteString("aud", options.Audience);
            w.WriteEndObject();
        });
    }

    public async Task GetAsync(HttpContext ctx, string id)
    {
        caller.RequireAdmin(ctx);
        var userId = UserId(id);
        var user = await db.InTransactionAsync(conn => UserRepository.FindByIdAsync(conn, userId, ctx.RequestAborted), ctx.RequestAborted)
            ?? throw AuthErrors.UserNotFound();
        await AuthJson.SendAsync(ctx, 200, w => UserJson.Write(w, user));
    }

    public async Task CreateAsync(HttpContext ctx)
    {
        caller.RequireAdmin(ctx);
        using var doc = await AuthJson.ReadObjectAsync(ctx);
        var p = AdminParams.Read(doc.RootElement);
        if (p.Email.Length == 0 && p.Phone.Length == 0) throw AuthErrors.Validation("Cannot create a user without either an email or phone");
        if (p.Email.Length == 0) throw AuthErrors.BadRequest("phone_provider_disabled", "Phone signups are disabled");
        var email = EmailAddress.Normalize(p.Email);
        if (p.Password is not null && p.PasswordHash.Length > 0) throw AuthErrors.Validation("Only a password or a password hash should be provided");
        if (p.PasswordHash.Length > 0 && !p.PasswordHash.StartsWith("$2", StringComparison.Ordinal))
            throw AuthErrors.Validation("Invalid password hash: only bcrypt hashes are supported");
        if (p.Password is { } pw && System.Text.Encoding.UTF8.GetByteCount(pw) > PasswordPolicy.MaxLength)
            throw AuthErrors.Validation("bcrypt: password length exceeds 72 bytes");
        var id = Guid.NewGuid();
        if (p.Id.Length > 0)
        {
            if (!Guid.TryParse(p.Id, out id)) throw AuthErrors.Validation("ID must conform to the uuid v4 format");
            if (id == Guid.Empty) throw AuthErrors.Validation("ID cannot be a nil uuid");
        }
        var ban = p.BanDuration.Length > 0 ? ParseBan(p.BanDuration) : (TimeSpan?)null;
        // No password given: GoTrue sets a random one, so the account exists but cannot sign in with a password yet.
        var hash = p.PasswordHash.Length > 0 ? p.PasswordHash
            : await hasher.HashAsync(string.IsNullOrEmpty(p.Password) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) : p.Password, ctx.RequestAborted);

        var user = await db.InTransactionAsync(async conn =>
        {
            var ct = ctx.RequestAborted;
            if (await UserRepository.EmailTakenAsync(conn, email, options.Audience, null, ct)) throw AuthErrors.EmailExists();
            var app = AuthJson.Build(w =>
            {
                w.WriteString("provider", "email");
                w.WriteStartArray("providers");
                w.WriteStringValue("email");
                w.WriteEndArray();
            });
            try
            {
                await UserRepository.InsertAsync(conn, new NewUser(id, options.Audience, p.Role.Length > 0 ? p.Role : options.DefaultRole, email, hash,
                    p.EmailConfirm, false, app, p.UserMetadata ?? "{}", false), ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw AuthErrors.EmailExists();
            }
            var identity = AuthJson.Build(w =>
            {
                w.WriteString("sub", id.ToString());
                w.WriteString("email", email);
                w.WriteBoolean("email_verified", false);
                w.WriteBoolean("phone_verified", false);
            });
            await UserRepository.InsertEmailIdentityAsync(conn, id, identity, ct);
            if (p.AppMetadata is { } appPatch) await UserRepository.MergeMetadataAsync(conn, id, appMetadata: true, appPatch, ct);
            if (ban is { } b) await UserRepository.BanAsync(conn, id, b, ct);
            return await UserRepository.FindByIdAsync(conn, id, ct);
        }, ctx.RequestAborted);
        await AuthJson.SendAsync(ctx, 200, w => UserJson.Write(w, user!));
    }

    public async Task UpdateAsync(HttpContext ctx, string id)
    {
        caller.RequireAdmin(ctx);
        var userId = UserId(id);
        using var doc = await AuthJson.ReadObjectAsync(ctx);
        var p = AdminParams.Read(doc.RootElement);
        if (p.Phone.Length > 0) throw AuthErrors.BadRequest("phone_provider_disabled", "Phone signups are disabled");
        var email = p.Email.Length > 0 ? EmailAddress.Normalize(p.Email) : null;
        var ban = p.BanDuration.Length > 0 ? ParseBan(p.BanDuration) : (TimeSpan?)null;
        if (p.Password is { } password) policy.Check(password);
        var hash = string.IsNullOrEmpty(p.Password) ? null : await hasher.HashAsync(p.Password, ctx.RequestAborted);

        var user = await db.InTransactionAsync(async conn =>
        {
            var ct = ctx.RequestAborted;
            var existing = await UserRepository.FindByIdAsync(conn, userId, ct, forUpdate: true) ?? throw AuthErrors.UserNotFound();
            if (p.Role.Length > 0) await UserRepository.SetRoleAsync(conn, userId, p.Role, ct);
            if (p.EmailConfirm) await UserRepository.ConfirmEmailAsync(conn, userId, ct);
            if (hash is not null)
            {
                await UserRepository.SetPasswordAsync(conn, userId, hash, ct);
                await SessionRepository.DeleteAllAsync(conn, userId, ct); // GoTrue signs every session out
            }
            if (email is not null && email != existing.Email)
            {
                if (await UserRepository.EmailTakenAsync(conn, email, existing.Aud, userId, ct)) throw AuthErrors.EmailExists();
                await UserRepository.SetEmailAsync(conn, userId, email, p.EmailConfirm || existing.IsEmailConfirmed, ct);
            }
            if (p.AppMetadata is { } app) await UserRepository.MergeMetadataAsync(conn, userId, appMetadata: true, app, ct);
            if (p.UserMetadata is { } data) await UserRepository.MergeMetadataAsync(conn, userId, appMetadata: false, data, ct);
            if (ban is { } b) await UserRepository.BanAsync(conn, userId, b, ct);
            return await UserRepository.FindByIdAsync(conn, userId, ct);
        }, ctx.RequestAborted);
        await AuthJson.SendAsync(ctx, 200, w => UserJson.Write(w, user!));
    }

    /// <summary>Hard delete (should_soft_delete is not supported); GoTrue answers with an empty object.</summary>
    public async Task DeleteAsync(HttpContext ctx, string id)
    {
        caller.RequireAdmin(ctx);
        var userId = UserId(id);
        var deleted = await db.InTransactionAsync(conn => UserRepository.DeleteAsync(conn, userId, ctx.RequestAborted), ctx.RequestAborted);
        if (!deleted) throw AuthErrors.UserNotFound();
        await AuthJson.SendAsync(ctx, 200, w => { w.WriteStartObject(); w.WriteEndObject(); });
    }

    private static Guid UserId(string id) =>
        Guid.TryParse(id, out var g) ? g : throw new AuthException(404, "validation_failed", "user_id must be an UUID");

    private static long PageParam(HttpContext ctx, string name, long fallback)
    {
        var text = ctx.Request.Query[name].ToString();
        if (text.Length == 0) return fallback;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > int.MaxValue)
            throw AuthErrors.Validation($"Bad Pagination Parameters: strconv.ParseUint: parsing \"{text}\": invalid syntax");
        return Math.Max(1, (long)n);
    }

    /// <summary>GoTrue's Link header: next and last pages.</summary>
    private static string Links(HttpContext ctx, long page, long perPage, long total)
    {
        var last = Math.Max(1, (total + perPage - 1) / perPage);
        var path = ctx.Request.PathBase + ctx.Request.Path;
        var links = new List<string>();
        if (page < last) links.Add($"<{path}?page={page + 1}&per_page={perPage}>; rel=\"next\"");
        links.Add($"<{path}?page={last}&per_page={perPage}>; rel=\"last\"");
        return string.Join(", ", links);
    }

    /// <summary>A Go duration ("24h", "1h30m", "90s", "500ms") or "none" (lifts a ban).</summary>
    private static TimeSpan ParseBan(string text)
    {
        if (text == "none") return TimeSpan.Zero;
        var parts = GoDuration().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != text)
            throw AuthErrors.Validation($"invalid format for ban duration: time: invalid duration \"{text}\"");
        var total = TimeSpan.Zero;
        try
        {
            foreach (Match m in parts) total += Part(m);
        }
        catch (OverflowException)
        {
            throw AuthErrors.Validation($"invalid format for ban duration: time: invalid duration \"{text}\"");
        }
        return total;

        static TimeSpan Part(Match m)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                "us" or "µs" => TimeSpan.FromMicroseconds(n),
                _ => TimeSpan.FromTicks(checked((long)(n / 100))),
            };
        }
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex GoDuration();

    private sealed record AdminParams(string Id, string Role, string Email, string Phone, string? Password, string PasswordHash,
        bool EmailConfirm, string? UserMetadata, string? AppMetadata, string BanDuration)
    {
        public static AdminParams Read(System.Text.Json.JsonElement b) => new(
            AuthJson.String(b, "id") ?? "", AuthJson.String(b, "role") ?? "", AuthJson.String(b, "email") ?? "",
            AuthJson.String(b, "phone") ?? "", AuthJson.String(b, "password"), AuthJson.String(b, "password_hash") ?? "",
            AuthJson.Bool(b, "email_confirm"), AuthJson.Object(b, "user_metadata"), AuthJson.Object(b, "app_metadata"),
            AuthJson.String(b, "ban_duration") ?? "");
    }
}
