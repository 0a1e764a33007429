using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// The roles a request may run as: those the API login (the authenticator) is a member of, itself excluded.
/// A token's role claim is checked against this closed set before it reaches set_config('role', …), so
/// words that mean something else to PostgreSQL there ("none" resets to the authenticator, "default") and
/// the authenticator itself never become a request's role.
/// </summary>
public sealed class ApiRoles(string login, IReadOnlySet<string> switchable, IReadOnlySet<string> existing)
{
    public string Login { get; } = login;

    public bool CanSwitchTo(string role) => switchable.Contains(role);

    /// <summary>
    /// The one check every service makes before a role reaches set_config: 403 42501 for a real role the
    /// authenticator may not become, 401 22023 for an unknown name.
    /// </summary>
    public void EnsureCanSwitchTo(string role)
    {
        if (!CanSwitchTo(role)) throw ExistsButForbidden(role) ? Errors.ApiErrors.ForbiddenRole(role) : Errors.ApiErrors.UnknownRole(role);
    }

    /// <summary>A real role the authenticator may not become (permission denied), as opposed to an unknown name.</summary>
    public bool ExistsButForbidden(string role) => role != Login && existing.Contains(role) && !switchable.Contains(role);

    /// <summary>Read over an API connection, so the login is exactly the one requests use.</summary>
    public static async Task<ApiRoles> LoadAsync(NpgsqlDataSource api, CancellationToken ct)
    {
        await using var conn = await api.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select session_user::text,
                   array(select rolname::text from pg_roles where pg_has_role(session_user, oid, 'MEMBER') and rolname <> session_user),
                   array(select rolname::text from pg_roles)
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ApiRoles(reader.GetString(0),
            reader.GetFieldValue<string[]>(1).ToHashSet(StringComparer.Ordinal),
            reader.GetFieldValue<string[]>(2).ToHashSet(StringComparer.Ordinal));
    }
}
