using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.AuthServer;

/// <summary>
/// auth.users and auth.identities in GoTrue's column layout. Hand-written SQL, values only as parameters;
/// every method runs on the caller's connection, inside the caller's transaction.
/// </summary>
public static class UserRepository
{
    /// <summary>GoTrue stores the nil UUID as instance_id.</summary>
    public static readonly Guid NilInstance = Guid.Empty;

    private static string Ts(string column) => $"""to_char({column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""";

    /// <summary>The columns <see cref="Read"/> expects, for a query over auth.users aliased u.</summary>
    private static readonly string Columns = $"""
        u.id, coalesce(u.aud, ''), coalesce(u.role, ''), u.email, u.phone, u.encrypted_password,
        u.email_confirmed_at, u.phone_confirmed_at, u.confirmation_sent_at, u.confirmed_at,
        nullif(u.email_change, ''), u.email_change_sent_at, u.last_sign_in_at,
        coalesce(u.raw_app_meta_data, '{"{}"}')::text, coalesce(u.raw_user_meta_data, '{"{}"}')::text,
        (select coalesce(json_agg(json_build_object(
            'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
            'provider', i.provider, 'last_sign_in_at', {Ts("i.last_sign_in_at")}, 'created_at', {Ts("i.created_at")},
            'updated_at', {Ts("i.updated_at")}, 'email', i.email) order by i.created_at), '[]'::json)
         from auth.identities i where i.user_id = u.id)::text,
        u.created_at, u.updated_at, u.banned_until, u.deleted_at, u.is_anonymous
        """;

    private static UserRow Read(DbDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), Str(r, 3), Str(r, 4), Str(r, 5),
        Time(r, 6), Time(r, 7), Time(r, 8), Time(r, 9), Str(r, 10), Time(r, 11), Time(r, 12),
        r.GetString(13), r.GetString(14), r.GetString(15),
        Time(r, 16) ?? DateTime.UnixEpoch, Time(r, 17) ?? DateTime.UnixEpoch, Time(r, 18), Time(r, 19), r.GetBoolean(20));

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static DateTime? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);

    private static async Task<UserRow?> OneAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public static async Task<UserRow?> FindByIdAsync(NpgsqlConnection conn, Guid id, CancellationToken ct, bool forUpdate = false)
    {
        await using var cmd = new NpgsqlCommand($"select {Columns} from auth.users u where u.id = $1" + (forUpdate ? " for update of u" : ""), conn);
        cmd.Parameters.Add(new() { Value = id });
        return await OneAsync(cmd, ct);
    }

    /// <summary>As GoTrue finds a user to sign in: lower-cased email, the audience, never an SSO account.</summary>
    public static async Task<UserRow?> FindByEmailAsync(NpgsqlConnection conn, string email, string aud, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {Columns} from auth.users u
            where u.instance_id = $1 and lower(u.email) = $2 and u.aud = $3 and u.is_sso_user = false
            limit 1
            """, conn);
        cmd.Parameters.Add(new() { Value = NilInstance });
        cmd.Parameters.Add(new() { Value = email.ToLowerInvariant() });
        cmd.Parameters.Add(new() { Value = aud });
        return await OneAsync(cmd, ct);
    }

    /// <summary>Another user of the audience already holding this email (GoTrue's duplicate check, email identities included).</summary>
    public static async Task<bool> EmailTakenAsync(NpgsqlConnection conn, string email, string aud, Guid? except, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select exists (
              select 1 from auth.users u
              where u.aud = $2 and u.id is distinct from $3
                and (lower(u.email) = $1 and u.is_sso_user = false
                     or u.id in (select i.user_id from auth.identities i where i.email = $1 and i.provider = 'email')))
            """, conn);
        cmd.Parameters.Add(new() { Value = email.ToLowerInvariant() });
        cmd.Parameters.Add(new() { Value = aud });
        cmd.Parameters.Add(new() { Value = (object?)except ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Inserts a user as GoTrue does: empty strings (not NULL) in the token columns, because GoTrue and the
    /// tools around it read those as strings. AFTER INSERT triggers on auth.users (a profile row) run here.
    /// </summary>
    public static async Task InsertAsync(NpgsqlConnection conn, NewUser u, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into auth.users (
              instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_sent_at,
              raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at, last_sign_in_at,
              confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
              phone_change, phone_change_token, reauthentication_token, is_sso_user)
            values ($1, $2, $3, $4, $5, $6,
              case when $7 then now() end, case when $8 then now() end,
              $9::jsonb, $10::jsonb, $11, now(), now(), null,
              '', '', '', '', '', '', '', '', false)
            """, conn);
        cmd.Parameters.Add(new() { Value = NilInstance });
        cmd.Parameters.Add(new() { Value = u.Id });
        cmd.Parameters.Add(new() { Value = u.Aud });
        cmd.Parameters.Add(new() { Value = u.Role });
        cmd.Parameters.Add(new() { Value = (object?)u.Email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new() { Value = u.EncryptedPassword ?? "", NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new() { Value = u.Confirmed });
        cmd.Parameters.Add(new() { Value = u.ConfirmationSent });
        cmd.Parameters.Add(new() { Value = u.AppMetadataJson });
        cmd.Parameters.Add(new() { Value = u.UserMetadataJson });
        cmd.Parameters.Add(new() { Value = u.IsAnonymous });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The email identity GoTrue creates with the user (provider_id is the user's id).</summary>
    public static async Task InsertEmailIdentityAsync(NpgsqlConnection conn, Guid userId, string identityDataJson, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
            values (gen_random_uuid(), $1::text, $1, $2::jsonb, 'email', now(), now(), now())
            on conflict (provider_id, provider) do update set identity_data = excluded.identity_data, updated_at = now()
            """, conn);
        cmd.Parameters.Add(new() { Value = userId });
        cmd.Parameters.Add(new() { Value = identityDataJson });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static Task TouchLastSignInAsync(NpgsqlConnection conn, Guid userId, CancellationToken ct) =>
        ExecAsync(conn, "update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1", ct, userId);

    /// <summary>GoTrue clears the one-time tokens along with a new password.</summary>
    public static Task SetPasswordAsync(NpgsqlConnection conn, Guid userId, string hash, CancellationToken ct) =>
        ExecAsync(conn, """
            update auth.users set encrypted_password = $2, confirmation_token = '', recovery_token = '',
              email_change_token_current = '', email_change_token_new = '', phone_change_token = '',
              reauthentication_token = '', confirmation_sent_at = null, recovery_sent_at = null,
              email_change_sent_at = null, phone_change_sent_at = null, reauthentication_sent_at = null, updated_at = now()
            where id = $1
            """, ct, userId, hash);

    /// <summary>
    /// Merges a metadata object as GoTrue does: top-level keys replace, a null value removes its key.
    /// <paramref name="column"/> is one of two fixed names, never request text.
    /// </summary>
    public static Task MergeMetadataAsync(NpgsqlConnection conn, Guid userId, bool appMetadata, string patchJson, CancellationToken ct)
    {
        var column = appMetadata ? "raw_app_meta_data" : "raw_user_meta_data";
        return ExecAsync(conn, $"""
            update auth.users set {column} = (
              select coalesce(jsonb_object_agg(key, value), '{"{}"}'::jsonb)
              from jsonb_each(coalesce({column}, '{"{}"}'::jsonb) || $2::jsonb) where value <> 'null'::jsonb),
              updated_at = now()
            where id = $1
            """, ct, userId, patchJson);
    }

    /// <summary>A new, confirmed email: the user, their email identity, and no longer anonymous.</summary>
    public static async Task SetEmailAsync(NpgsqlConnection conn, Guid userId, string email, bool confirmed, CancellationToken ct)
    {
        try
        {
            await ExecAsync(conn, """
            update auth.users set email = $2, email_change = '', email_change_sent_at = null, is_anonymous = false,
              email_confirmed_at = case when $3 then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
              updated_at = now()
            where id = $1
            """, ct, userId, email, confirmed);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw AuthErrors.EmailExists(); // another user took it between the check and the update
        }
        var data = AuthJson.Build(w =>
        {
            w.WriteString("sub", userId.ToString());
            w.WriteString("email", email);
            w.WriteBoolean("email_verified", confirmed);
            w.WriteBoolean("phone_verified", false);
        });
        await ExecAsync(conn, """
            insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
            values (gen_random_uuid(), $1::text, $1, $2::jsonb, 'email', now(), now(), now())
            on conflict (provider_id, provider) do update set identity_data = auth.identities.identity_data || excluded.identity_data, updated_at = now()
            """, ct, userId, data);
    }

    /// <summary>An email change awaiting confirmation (what GoTrue records when it would send the mail).</summary>
    public static Task SetPendingEmailAsync(NpgsqlConnection conn, Guid userId, string email, CancellationToken ct) =>
        ExecAsync(conn, "update auth.users set email_change = $2, email_change_sent_at = now(), updated_at = now() where id = $1", ct, userId, email);

    public static Task ConfirmEmailAsync(NpgsqlConnection conn, Guid userId, CancellationToken ct) =>
        ExecAsync(conn, "update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '', updated_at = now() where id = $1", ct, userId);

    public static Task SetConfirmationSentAsync(NpgsqlConnection conn, Guid userId, CancellationToken ct) =>
        ExecAsync(conn, "update auth.users set confirmation_sent_at = now(), updated_at = now() where id = $1", ct, userId);

    public static Task SetRoleAsync(NpgsqlConnection conn, Guid userId, string role, CancellationToken ct) =>
        ExecAsync(conn, "update auth.users set role = $2, updated_at = now() where id = $1", ct, userId, role.Trim());

    /// <summary>Bans until now + duration; a zero duration lifts the ban (GoTrue's ban_duration "none").</summary>
    public static Task BanAsync(NpgsqlConnection conn, Guid userId, TimeSpan duration, CancellationToken ct) =>
        ExecAsync(conn, """
            update auth.users set banned_until = case when $2 = 0 then null else now() + make_interval(secs => $2) end, updated_at = now()
            where id = $1
            """, ct, userId, duration.TotalSeconds);

    /// <summary>Deletes the user; identities, sessions and refresh tokens go with it (foreign keys cascade).</summary>
    public static async Task<bool> DeleteAsync(NpgsqlConnection conn, Guid userId, CancellationToken ct) =>
        await ExecAsync(conn, "delete from auth.users where id = $1", ct, userId) > 0;

    /// <summary>A page of the audience's users, newest first (GoTrue's default order), and the total.</summary>
    public static async Task<(List<UserRow> Users, long Total)> ListAsync(NpgsqlConnection conn, string aud, long page, long perPage, CancellationToken ct)
    {
        var users = new List<UserRow>();
        await using (var cmd = new NpgsqlCommand($"""
            select {Columns} from auth.users u where u.instance_id = $1 and u.aud = $2
            order by u.created_at desc, u.id desc limit $3 offset $4
            """, conn))
        {
            cmd.Parameters.Add(new() { Value = NilInstance });
            cmd.Parameters.Add(new() { Value = aud });
            cmd.Parameters.Add(new() { Value = perPage });
            cmd.Parameters.Add(new() { Value = (page - 1) * perPage });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) users.Add(Read(r));
        }
        await using var count = new NpgsqlCommand("select count(*) from auth.users u where u.instance_id = $1 and u.aud = $2", conn);
        count.Parameters.Add(new() { Value = NilInstance });
        count.Parameters.Add(new() { Value = aud });
        return (users, (long)(await count.ExecuteScalarAsync(ct))!);
    }

    private static async Task<int> ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values) cmd.Parameters.Add(new() { Value = v });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>What a sign-up or the admin API inserts.</summary>
public sealed record NewUser(Guid Id, string Aud, string Role, string? Email, string? EncryptedPassword, bool Confirmed,
    bool ConfirmationSent, string AppMetadataJson, string UserMetadataJson, bool IsAnonymous);
