using System.Net;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.AuthServer;

/// <summary>A refresh token row with its session (null when the session is gone) and whether its reuse window has passed.</summary>
public sealed record RefreshTokenRow(long Id, string Token, Guid UserId, bool Revoked, string? Parent, Guid? SessionId, bool ReuseWindowOver);

/// <summary>auth.sessions and auth.refresh_tokens in GoTrue's layout (refresh tokens are GoTrue's 12-character v1 tokens).</summary>
public static class SessionRepository
{
    /// <summary>A new session for a user (aal1), with the client's user agent and IP as GoTrue records them.</summary>
    public static async Task<(Guid Id, DateTime CreatedAt)> CreateAsync(NpgsqlConnection conn, Guid userId, string? userAgent, IPAddress? ip, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using var cmd = new NpgsqlCommand("""
            insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
            values ($1, $2, now(), now(), 'aal1', $3, $4)
            returning created_at
            """, conn);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = userId });
        cmd.Parameters.Add(new() { Value = string.IsNullOrEmpty(userAgent) ? DBNull.Value : userAgent, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)ip ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Inet });
        var created = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        return (id, created);
    }

    /// <summary>The session's creation time (its sign-in time), or null when it no longer exists (signed out).</summary>
    public static async Task<DateTime?> FindAsync(NpgsqlConnection conn, Guid sessionId, Guid userId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select created_at from auth.sessions where id = $1 and user_id = $2", conn);
        cmd.Parameters.Add(new() { Value = sessionId });
        cmd.Parameters.Add(new() { Value = userId });
        return await cmd.ExecuteScalarAsync(ct) is DateTime t ? t : null;
    }

    /// <summary>Records a refresh: time, user agent, IP.</summary>
    public static async Task TouchAsync(NpgsqlConnection conn, Guid sessionId, string? userAgent, IPAddress? ip, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            update auth.sessions set refreshed_at = now() at time zone 'UTC', updated_at = now(), user_agent = $2, ip = $3
            where id = $1
            """, conn);
        cmd.Parameters.Add(new() { Value = sessionId });
        cmd.Parameters.Add(new() { Value = string.IsNullOrEmpty(userAgent) ? DBNull.Value : userAgent, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)ip ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Inet });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Issues a refresh token in a session; <paramref name="parent"/> is the token it replaces.</summary>
    public static async Task<string> IssueTokenAsync(NpgsqlConnection conn, Guid userId, Guid sessionId, string? parent, CancellationToken ct)
    {
        var token = NewToken();
        await using var cmd = new NpgsqlCommand("""
            insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
            values ($1, $2, $3, false, now(), now(), $4, $5)
            """, conn);
        cmd.Parameters.Add(new() { Value = UserRepository.NilInstance });
        cmd.Parameters.Add(new() { Value = token, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new() { Value = userId.ToString(), NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new() { Value = (object?)parent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new() { Value = sessionId });
        await cmd.ExecuteNonQueryAsync(ct);
        return token;
    }

    /// <summary>
    /// Finds a refresh token and locks it, so two refreshes of the same token run one after the other
    /// (the second then sees it revoked and gets the token the first one issued).
    /// </summary>
    public static async Task<RefreshTokenRow?> FindTokenForUpdateAsync(NpgsqlConnection conn, string token, int reuseIntervalSeconds, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select rt.id, rt.token, rt.user_id, coalesce(rt.revoked, false), rt.parent, s.id,
                   now() > coalesce(rt.updated_at, rt.created_at) + make_interval(secs => $2)
            from auth.refresh_tokens rt left join auth.sessions s on s.id = rt.session_id
            where rt.instance_id = $3 and rt.token = $1
            for update of rt
            """, conn);
        cmd.Parameters.Add(new() { Value = token, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new() { Value = (double)reuseIntervalSeconds });
        cmd.Parameters.Add(new() { Value = UserRepository.NilInstance });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        // user_id is varchar in GoTrue's layout; a row that does not hold a UUID is no token of ours.
        if (!Guid.TryParse(r.GetString(2), out var userId)) return null;
        return new RefreshTokenRow(r.GetInt64(0), r.GetString(1), userId, r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetGuid(5), r.GetBoolean(6));
    }

    /// <summary>The session's newest unrevoked token, if any.</summary>
    public static async Task<(string Token, string? Parent)?> ActiveTokenAsync(NpgsqlConnection conn, Guid sessionId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select token, parent from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1
            """, conn);
        cmd.Parameters.Add(new() { Value = sessionId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)) : null;
    }

    public static Task RevokeAsync(NpgsqlConnection conn, long tokenId, CancellationToken ct) =>
        ExecAsync(conn, "update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1", ct, tokenId);

    /// <summary>Reuse of a revoked token outside the reuse interval: every token of its session is revoked.</summary>
    public static Task RevokeFamilyAsync(NpgsqlConnection conn, Guid sessionId, CancellationToken ct) =>
        ExecAsync(conn, "update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false", ct, sessionId);

    public static Task DeleteTokenAsync(NpgsqlConnection conn, long tokenId, CancellationToken ct) =>
        ExecAsync(conn, "delete from auth.refresh_tokens where id = $1", ct, tokenId);

    /// <summary>Sign-out: deleting sessions deletes their refresh tokens (the foreign key cascades).</summary>
    public static Task DeleteSessionAsync(NpgsqlConnection conn, Guid sessionId, CancellationToken ct) =>
        ExecAsync(conn, "delete from auth.sessions where id = $1", ct, sessionId);

    public static Task DeleteAllAsync(NpgsqlConnection conn, Guid userId, CancellationToken ct) =>
        ExecAsync(conn, "delete from auth.sessions where user_id = $1", ct, userId);

    public static Task DeleteOthersAsync(NpgsqlConnection conn, Guid userId, Guid keep, CancellationToken ct) =>
        ExecAsync(conn, "delete from auth.sessions where user_id = $1 and id <> $2", ct, userId, keep);

    /// <summary>GoTrue's v1 refresh token: 12 characters of lower-case base32 from a CSPRNG (60 bits).</summary>
    private static string NewToken()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values) cmd.Parameters.Add(new() { Value = v });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
